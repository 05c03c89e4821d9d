"""Table parsers, one module a family: summary (T1, T6), subjects (T2, T3, T5, T7, T8),
three_public (T4), procurement (T9), performance (T10, T11); grid holds what they share."""
