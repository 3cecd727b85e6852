pub mod ride_stop;
pub mod route_run;
pub mod transport_plan;
pub mod transport_setting;
pub mod vehicle;
