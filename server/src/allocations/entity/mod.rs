pub mod allocation;
