//! This module contains implementation of some reinforcement learning algorithms.

mod slot_machine;
pub use self::slot_machine::{SlotAction, SlotFeedback, SlotMachine};
