pub mod attendance;
pub mod change_audit;
pub mod dagstaat_document;
pub mod document_chunk;
