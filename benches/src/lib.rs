//! Shared corpora for the criterion benches in `benches/`.
