pub mod location;
pub mod location_dagdeel;
pub mod organisation;
