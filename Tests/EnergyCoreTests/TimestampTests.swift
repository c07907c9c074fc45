import EnergyCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct TimestampTests {
  @Test func formatsTheSeedSampleTimestamp() {
    // 2025-04-10T12:02:00.000Z
    #expect(Timestamp.rfc3339(1_744_286_520_000) == "2025-04-10T12:02:00.000Z")
  }

  @Test func formatsMillisecondsAndLeapDays() {
    #expect(Timestamp.rfc3339(0) == "1970-01-01T00:00:00.000Z")
    #expect(Timestamp.rfc3339(951_782_400_123) == "2000-02-29T00:00:00.123Z")
    #expect(Timestamp.rfc3339(4_107_542_399_999) == "2100-02-28T23:59:59.999Z")
  }

  @Test func parsesWhatItWrites() {
    for ms: Int64 in [0, 1_744_286_520_000, 951_782_400_123, 1_764_400_000_007] {
      #expect(Timestamp.parseRFC3339(Substring(Timestamp.rfc3339(ms))) == ms)
    }
    #expect(Timestamp.parseRFC3339("2025-04-10T12:02:00Z") == 1_744_286_520_000)
  }

  @Test func rejectsMalformedTimestamps() {
    #expect(Timestamp.parseRFC3339("2025-04-10 12:02:00") == nil)
    #expect(Timestamp.parseRFC3339("2025-13-10T12:02:00.000Z") == nil)
    #expect(Timestamp.parseRFC3339("2025-04-10T12:02:00.000") == nil)
    #expect(Timestamp.parseRFC3339("") == nil)
    // The one calendar of every timestamp parser: no 30 February, no second 60.
    #expect(Timestamp.parseRFC3339("2025-02-30T12:02:00.000Z") == nil)
    #expect(Timestamp.parseRFC3339("2025-04-10T12:02:60Z") == nil)
    #expect(Timestamp.parseRFC3339("2024-02-29T00:00:00.000Z") == 1_709_164_800_000)
  }

  @Test func compactNameAndClock() {
    #expect(Timestamp.compact(1_744_286_520_000) == "20250410-120200")
    #expect(Timestamp.timeOfDay(1_744_286_521_999) == "12:02:01")
  }
}
