//! portcullis model (in progress).
