//! portcullis store (in progress).
