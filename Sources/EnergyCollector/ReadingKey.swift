/// The `id` column of a reading, which with its device and timestamp is its primary key. A
/// reading sent with a source and seq gets `source << 40 | seq`, so the same reading posted again
/// hits the same key and is ignored; readings without a source are numbered from 1 below `1 << 40`.
enum ReadingKey {
  static let seqBits = 40
  /// The largest seq a batch may carry: 2^40 - 1, some 35 years of readings at 1,000 per second.
  static let maxSeq: Int64 = (1 << seqBits) - 1
  /// Sources are numbered from 1; 0 holds the readings that came without one.
  static let maxSourceKey: Int64 = (1 << (63 - seqBits)) - 1

  static func sourced(source: Int64, seq: Int64) -> Int64 {
    source << seqBits | seq
  }

  /// The first id past the numbers given to readings without a source.
  static let unsourcedEnd: Int64 = 1 << seqBits
}
