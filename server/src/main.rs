//! `wan-r2v-server`: placeholder until the server issue lands.
fn main() {
    println!("wan-r2v-server: not built yet");
}
