//! Which of a batch's players may load its video now. When a batch's runs
//! finish together, eight players starting to load at once set eight media
//! pipelines going on the page's machine in the same frames, and the
//! browser's own controls change state eight times over; the page stutters
//! while a person watches it. So the grid loads its videos one at a time,
//! in the order they became ready: a player's turn ends when its first
//! frame is shown, its load fails, or [`TURN_LIMIT`] passes (a slow link
//! must not keep the others waiting), and the next one starts.

use std::time::Duration;

/// The longest one player holds the turn before the next one starts anyway.
pub const TURN_LIMIT: Duration = Duration::from_secs(2);

/// The grid's players by index (a run's place in the grid).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlayerTurns {
    /// Players whose video is ready at fal, in the order they became ready.
    waiting: Vec<usize>,
    /// Players whose turn has been (they keep their video from then on).
    started: Vec<usize>,
    /// The player whose turn it is, if any.
    current: Option<usize>,
}

impl PlayerTurns {
    /// The run at `index` has a video to show. Answers whether it starts
    /// loading now; otherwise it waits for [`PlayerTurns::turn_ended`].
    pub fn ready(&mut self, index: usize) -> bool {
        if self.may_load(index) || self.waiting.contains(&index) {
            return self.may_load(index);
        }
        if self.current.is_none() {
            self.start(index);
            return true;
        }
        self.waiting.push(index);
        false
    }

    /// The turn of the player at `index` ended (first frame shown, load
    /// failed, or [`TURN_LIMIT`] passed). Answers the next player to start,
    /// if one waits. An end reported twice, or for a player whose turn it
    /// is not, changes nothing.
    pub fn turn_ended(&mut self, index: usize) -> Option<usize> {
        if self.current != Some(index) {
            return None;
        }
        self.current = None;
        if self.waiting.is_empty() {
            return None;
        }
        let next = self.waiting.remove(0);
        self.start(next);
        Some(next)
    }

    /// Whether the player at `index` has its video (its turn came).
    pub fn may_load(&self, index: usize) -> bool {
        self.started.contains(&index)
    }

    fn start(&mut self, index: usize) {
        self.current = Some(index);
        self.started.push(index);
    }
}

#[cfg(test)]
mod tests {
    use super::PlayerTurns;

    #[test]
    fn the_first_ready_player_loads_at_once() {
        let mut turns = PlayerTurns::default();
        assert!(turns.ready(3));
        assert!(turns.may_load(3));
        assert!(!turns.may_load(0));
    }

    #[test]
    fn players_ready_together_load_one_after_another_in_ready_order() {
        let mut turns = PlayerTurns::default();
        assert!(turns.ready(2));
        assert!(!turns.ready(0));
        assert!(!turns.ready(5));
        assert!(!turns.may_load(0));
        assert_eq!(turns.turn_ended(2), Some(0));
        assert!(turns.may_load(0) && turns.may_load(2) && !turns.may_load(5));
        assert_eq!(turns.turn_ended(0), Some(5));
        assert_eq!(turns.turn_ended(5), None);
        assert!((0..6).filter(|i| turns.may_load(*i)).eq([0, 2, 5]));
    }

    #[test]
    fn after_every_turn_has_ended_the_next_ready_player_loads_at_once() {
        let mut turns = PlayerTurns::default();
        assert!(turns.ready(1));
        assert_eq!(turns.turn_ended(1), None);
        assert!(turns.ready(4));
    }

    #[test]
    fn a_stray_or_repeated_end_does_not_skip_a_waiting_player() {
        let mut turns = PlayerTurns::default();
        turns.ready(0);
        turns.ready(1);
        turns.ready(2);
        // The timer and the first frame both end player 0's turn.
        assert_eq!(turns.turn_ended(0), Some(1));
        assert_eq!(turns.turn_ended(0), None);
        // A player still waiting reports nothing that moves the queue.
        assert_eq!(turns.turn_ended(2), None);
        assert!(!turns.may_load(2));
        assert_eq!(turns.turn_ended(1), Some(2));
    }

    #[test]
    fn a_player_ready_again_keeps_its_place() {
        let mut turns = PlayerTurns::default();
        assert!(turns.ready(0));
        assert!(!turns.ready(1));
        assert!(!turns.ready(1));
        assert!(turns.ready(0));
        assert_eq!(turns.turn_ended(0), Some(1));
        assert_eq!(turns.turn_ended(1), None);
    }
}
