use rosomaxa::prelude::Float;

/// Represents a time duration.
pub type Duration = Float;

/// Represents a timestamp.
pub type Timestamp = Float;

/// Represents a distance.
pub type Distance = Float;
