import EnergyCollector
import EnergyCore
import Foundation
import Testing

/// The hand-written JSON reader on the ingest path: what it accepts, and what it calls malformed.
@Suite(.timeLimit(.minutes(1))) struct IngestDecoderTests {
  func decode(_ text: String) -> Result<IngestBatch, IngestError> {
    Result { () throws(IngestError) in try IngestDecoder.decode(Array(text.utf8)) }
  }

  func reading(_ id: String, _ ms: Int64, _ power: Double, seq: Int64? = nil) -> IncomingReading {
    IncomingReading(reading: Reading(deviceID: DeviceID(id)!, timestampMs: ms, power: power), seq: seq)
  }

  let noon = Int64(1_744_286_400_000)  // 2025-04-10T12:00:00Z

  @Test func readsEscapesWhitespaceAndUnknownFieldsOfAnyShape() throws {
    let text = """
       { "readings" : [ { "power" : 1.5e3 , "extra" : {"a":[1,true,null,{"b":"\\u00e9"}]},
        "device_id" : "A\\u0043001", "timestamp" : "2025-04-10T12:00:00Z", "seq" : 17 } ] ,
        "source" : "home\\/1" }\t\r\n
      """
    // "home/1" is not a valid source; the escaped slash is decoded before it is checked.
    #expect(decode(text) == .failure(IngestError("expected 1-64 characters of A-Z a-z 0-9 _ . -", field: "source")))
    let valid = text.replacingOccurrences(of: #"home\/1"#, with: #"home\u002d1"#)
    #expect(try decode(valid).get() == IngestBatch(source: "home-1", readings: [reading("AC001", noon, 1500, seq: 17)]))
  }

  @Test(arguments: [
    "", " ", "[", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "[01]", "[1.]", "[.5]", "[1e]", "[-]", "[\"\\x\"]",
    "[\"\\u12g4\"]", "[\"tab\there\"]", "[tru]", "[nul]", "[] []", "{}x", "[\"open]",
    String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
  ])
  func malformedJSONIsNamedSoWhateverElseIsWrong(text: String) {
    #expect(decode(text) == .failure(IngestError("malformed JSON")))
  }

  @Test func aSyntaxErrorLateInTheBodyWinsOverAnEarlierBadField() {
    let text = #"[{"device_id":"AC 1","timestamp":"x","power":1}, oops]"#
    #expect(decode(text) == .failure(IngestError("malformed JSON")))
  }

  @Test func aBatchReadsTheSameWhicheverKeyComesFirst() throws {
    let readings = #"[{"device_id":"A","timestamp":"2025-04-10T12:00:00Z","power":1,"seq":4}]"#
    let expected = IngestBatch(source: "s", readings: [reading("A", noon, 1, seq: 4)])
    #expect(try decode(#"{"source":"s","readings":"# + readings + "}").get() == expected)
    #expect(try decode(#"{"readings":"# + readings + #","source":"s"}"#).get() == expected)
    #expect(decode(#"{"source":"s","readings":"# + readings + "}]") == .failure(IngestError("malformed JSON")))
    #expect(decode(#"{"source":"s","readings":"# + readings + #","x":tru}"#) == .failure(IngestError("malformed JSON")))
    #expect(decode(#"{"source":"s s","readings":7}"#) == .failure(IngestError("expected an array", field: "readings")))
  }

  @Test func numbersAreReadExactlyAndOutOfRangeValuesRefused() throws {
    let base = #"{"device_id":"AC001","timestamp":"2025-04-10T12:00:00Z","power":"#
    #expect(try decode(base + "0.1}").get().readings[0].reading.power == 0.1)
    #expect(try decode(base + "-0}").get().readings[0].reading.power == 0)
    #expect(try decode(base + "100000}").get().readings[0].reading.power == 100_000)
    #expect(try decode(base + "1450.123456789012}").get().readings[0].reading.power == 1450.123456789012)
    #expect(try decode(base + "0.30000000000000004}").get().readings[0].reading.power == 0.30000000000000004)
    #expect(try decode(base + "2.5E2}").get().readings[0].reading.power == 250)
    for bad in ["1e400", "-0.001", "100000.01"] {
      #expect(decode(base + bad + "}") == .failure(IngestError("must be between 0 and 100000 W", index: 0, field: "power")))
    }
    for wrong in ["true", "null", "[1]", "{}"] {
      #expect(decode(base + wrong + "}") == .failure(IngestError("expected a number", index: 0, field: "power")))
    }
  }

  @Test(arguments: [
    "1.5", "-1", "1099511627776", "9223372036854775808", "\"3\"", "1e19", "null", "1e-400", "17.0", "1.7e1",
    String(repeating: "9", count: 400),
  ])
  func seqMustBeAnIntegerThatFitsTheRowKey(seq: String) {
    let text = #"{"source":"s","readings":[{"device_id":"A","timestamp":"2025-04-10T12:00:00Z","power":1,"seq":"# + seq + "}]}"
    #expect(decode(text) == .failure(IngestError("expected an integer from 0 to 1099511627775", index: 0, field: "seq")))
  }

  @Test func numbersOfAnyLengthParseOrAreRefusedWithoutATrap() throws {
    let base = #"{"device_id":"X","timestamp":"2025-04-10T12:00:00Z","power":"#
    let outOfRange = IngestError("must be between 0 and 100000 W", index: 0, field: "power")
    for huge in ["12345678901234567890", "9223372036854775808", "1" + String(repeating: "0", count: 5000)] {
      #expect(decode(base + huge + "}") == .failure(outOfRange))
    }
    #expect(try decode(base + "1.0000000000000000000}").get().readings[0].reading.power == 1)
    #expect(try decode(base + "1234.5678901234567890123}").get().readings[0].reading.power == Double("1234.5678901234567890123")!)
    #expect(try decode(base + "0." + String(repeating: "0", count: 5000) + "1}").get().readings[0].reading.power == 0)
    // The same body with a bad timestamp: the number is read before the timestamp is refused.
    let crash = #"{"device_id":"X","timestamp":"x","power":12345678901234567890}"#
    #expect(decode(crash).failure?.field == "timestamp")
  }

  @Test(arguments: [
    "0000-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "10000-01-01T00:00:00Z", "-001-01-01T00:00:00Z",
  ])
  func timestampsOutsideYearsZeroToNineThousandNineHundredNinetyNineAreRefused(timestamp: String) {
    let text = #"{"device_id":"A","timestamp":""# + timestamp + #"","power":1}"#
    #expect(decode(text).failure?.field == "timestamp")
  }

  @Test func theFirstAndLastRepresentableInstantsAreAccepted() throws {
    for (text, expected) in [("0000-01-01T00:00:00Z", Timestamp.representable.lowerBound), ("9999-12-31T23:59:59.999Z", Timestamp.representable.upperBound), ("0001-01-01T00:30:00+01:00", Timestamp.representable.lowerBound + 366 * 86_400_000 - 1_800_000)] {
      let body = #"{"device_id":"A","timestamp":""# + text + #"","power":1}"#
      #expect(try decode(body).get().readings[0].reading.timestampMs == expected)
    }
  }

  @Test func seqIsCheckedEverywhereButUsedOnlyWithASourceAndTheLargestIsAccepted() throws {
    let reading = #"{"device_id":"A","timestamp":"2025-04-10T12:00:00Z","power":1,"seq":7}"#
    #expect(try decode("[\(reading)]").get().readings[0].seq == nil)
    let bad = #"{"device_id":"A","timestamp":"2025-04-10T12:00:00Z","power":1,"seq":1099511627776}"#
    #expect(decode("[\(bad)]") == .failure(IngestError("expected an integer from 0 to 1099511627775", index: 0, field: "seq")))
    let big = #"{"source":"s","readings":[{"device_id":"A","timestamp":"2025-04-10T12:00:00Z","power":1,"seq":1099511627775}]}"#
    #expect(try decode(big).get().readings[0].seq == 1_099_511_627_775)
  }

  @Test func theShapeOfTheDocumentIsChecked() throws {
    #expect(decode("42") == .failure(IngestError("expected a reading, an array of readings or a batch object")))
    #expect(decode(#"{"readings":{}}"#) == .failure(IngestError("expected an array", field: "readings")))
    #expect(decode("[1]") == .failure(IngestError("expected an object", index: 0)))
    #expect(decode("{}") == .failure(IngestError("missing", index: 0, field: "device_id")))
    #expect(try decode("[]").get() == IngestBatch(source: nil, readings: []))
  }

  @Test func theReadingLimitCountsTheWholeRequest() {
    let one = #"{"device_id":"A","timestamp":"2025-04-10T12:00:00Z","power":1}"#
    let text = "[" + Array(repeating: one, count: 10_003).joined(separator: ",") + "]"
    #expect(decode(text) == .failure(IngestError(status: 413, "too many readings: 10003 (at most 10000 per request)")))
  }

  @Test(arguments: [
    ("0000-01-01T02:21:51-05:00", true), ("0000-01-01T00:00:00Z", true), ("0000-01-01 02:21:51+22:19", false),
    ("0000-01-01T02:21:51+22:19", false), ("9999-12-31T23:00:00+01:00", true), ("9999-12-31T23:00:00-01:00", false),
    ("2025-04-10 12:02:00+02:00", true), ("2025-04-10 12:02:00", true),
  ])
  func theYearRangeHoldsAfterTheOffsetAsTheSchemaSays(timestamp: String, accepted: Bool) {
    let body = #"{"device_id":"AC001","timestamp":"\#(timestamp)","power":1}"#
    let stored = (try? IngestDecoder.decode(Array(body.utf8))) != nil
    #expect(stored == accepted, "\(timestamp)")
  }
}

extension Result {
  var failure: Failure? {
    if case .failure(let error) = self { error } else { nil }
  }
}
