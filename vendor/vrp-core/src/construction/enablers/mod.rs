//! This module contains feature extension functionality which can be used to work with the same aspects
//! from different features.

mod conditional_job;
pub use self::conditional_job::*;

mod departure_time;
pub use self::departure_time::*;

mod feature_combinator;
pub use self::feature_combinator::*;

mod multi_trip;
pub use self::multi_trip::*;

mod only_vehicle_activity_cost;
pub use self::only_vehicle_activity_cost::*;

mod route_intervals;
pub use self::route_intervals::*;

mod reserved_time;
pub use self::reserved_time::*;

mod schedule_update;
pub use self::schedule_update::*;

mod travel_info;
pub use self::travel_info::*;

mod typed_actor_group_key;
pub use self::typed_actor_group_key::*;
