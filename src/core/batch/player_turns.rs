//! Which of a batch's players may load its video now. When a batch's runs
//! finish together, eight players starting to load at once set eight media
//! pipelines going on the page's machine in the same frames, and the
//! browser's own controls change state eight times over; the page stutters
//! while a person watches it. So the grid loads its videos one at a time,
//! in the order they became ready: a player's turn ends when its first
//! frame is shown, its load fails, or [`TURN_LIMIT`] passes (a slow link
//! must not keep the others waiting), and the next one starts.

use std::collections::VecDeque;
use std::time::Duration;

/// The longest one player holds the turn before the next one starts anyway.
pub const TURN_LIMIT: Duration = Duration::from_secs(2);

/// The grid's players by index (a run's place in the grid).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlayerTurns {
    /// Players whose video is ready at fal, in the order they became ready.
    waiting: VecDeque<usize>,
    /// Players whose turn has been (they keep their video from then on).
    started: Vec<usize>,
    /// The player whose turn it is, if any.
    current: Option<usize>,
}

impl PlayerTurns {
    /// The run at `index` has a video to show: it loads now if no turn is
    /// under way, else it waits for [`PlayerTurns::turn_ended`]. Saying so
    /// again changes nothing.
    pub fn ready(&mut self, index: usize) {
        if self.may_load(index) || self.waiting.contains(&index) {
            return;
        }
        if self.current.is_none() {
            self.start(index);
        } else {
            self.waiting.push_back(index);
        }
    }

    /// The turn of the player at `index` ended (first frame shown, load
    /// failed, or [`TURN_LIMIT`] passed): the next waiting player starts.
    /// An end reported twice, or for a player whose turn it is not,
    /// changes nothing.
    pub fn turn_ended(&mut self, index: usize) {
        if self.current != Some(index) {
            return;
        }
        self.current = None;
        if let Some(next) = self.waiting.pop_front() {
            self.start(next);
        }
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

    /// The players (of a grid of 8) that have their video.
    fn loading(turns: &PlayerTurns) -> Vec<usize> {
        (0..8).filter(|i| turns.may_load(*i)).collect()
    }

    #[test]
    fn the_first_ready_player_loads_at_once() {
        let mut turns = PlayerTurns::default();
        turns.ready(3);
        assert_eq!(loading(&turns), [3]);
    }

    #[test]
    fn players_ready_together_load_one_after_another_in_ready_order() {
        let mut turns = PlayerTurns::default();
        turns.ready(2);
        turns.ready(0);
        turns.ready(5);
        assert_eq!(loading(&turns), [2]);
        turns.turn_ended(2);
        assert_eq!(loading(&turns), [0, 2]);
        turns.turn_ended(0);
        assert_eq!(loading(&turns), [0, 2, 5]);
        turns.turn_ended(5);
        assert_eq!(loading(&turns), [0, 2, 5]);
    }

    #[test]
    fn after_every_turn_has_ended_the_next_ready_player_loads_at_once() {
        let mut turns = PlayerTurns::default();
        turns.ready(1);
        turns.turn_ended(1);
        turns.ready(4);
        assert_eq!(loading(&turns), [1, 4]);
    }

    #[test]
    fn a_stray_or_repeated_end_does_not_skip_a_waiting_player() {
        let mut turns = PlayerTurns::default();
        for index in [0, 1, 2] {
            turns.ready(index);
        }
        // The timer and the first frame both end player 0's turn.
        turns.turn_ended(0);
        turns.turn_ended(0);
        assert_eq!(loading(&turns), [0, 1]);
        // A player still waiting reports nothing that moves the queue.
        turns.turn_ended(2);
        assert_eq!(loading(&turns), [0, 1]);
        turns.turn_ended(1);
        assert_eq!(loading(&turns), [0, 1, 2]);
    }

    #[test]
    fn a_player_ready_again_keeps_its_place() {
        let mut turns = PlayerTurns::default();
        turns.ready(0);
        turns.ready(1);
        turns.ready(2);
        turns.ready(1);
        turns.ready(0);
        turns.turn_ended(0);
        assert_eq!(loading(&turns), [0, 1], "1 is still next, not behind 2");
        turns.turn_ended(1);
        assert_eq!(loading(&turns), [0, 1, 2]);
    }
}
