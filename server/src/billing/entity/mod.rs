pub mod declaration;
pub mod declaration_line;
