pub mod occupancy_cell;
