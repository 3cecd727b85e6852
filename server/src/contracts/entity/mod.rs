pub mod contract;
pub mod municipality;
pub mod tariff;
