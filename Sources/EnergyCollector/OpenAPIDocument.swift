/// The OpenAPI 3 document served at `/openapi.yaml`. `docs/openapi.yaml` is the same text; a test
/// keeps the two identical and calls every path in it.
public enum OpenAPIDocument {
  public static let yaml = #"""
openapi: 3.0.3
info:
  title: energymon collector
  version: 1.0.0
  description: Stores energy readings posted by energymon-tui (or anything else) and serves statistics.
servers:
  - url: http://127.0.0.1:5000
paths:
  /energy:
    post:
      summary: Store one reading, an array of readings, or a batch with source and seq (idempotent).
      security:
        - bearer: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - $ref: '#/components/schemas/Reading'
                - type: array
                  maxItems: 10000
                  items:
                    $ref: '#/components/schemas/Reading'
                - $ref: '#/components/schemas/Batch'
      responses:
        '200':
          description: Stored (all or nothing); a reading with the source, seq, device_id and timestamp of a stored one is a duplicate and skipped.
          content:
            application/json:
              schema:
                type: object
                required: [accepted, duplicates]
                properties:
                  accepted: {type: integer}
                  duplicates: {type: integer}
        '400': {$ref: '#/components/responses/Error'}
        '401': {$ref: '#/components/responses/Error'}
        '413': {$ref: '#/components/responses/Error'}
        '503':
          description: Nothing was stored (the database failed, e.g. a full disk); retry after Retry-After seconds.
          headers:
            Retry-After: {schema: {type: integer}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
  /api/stats:
    get:
      summary: Per-device count, avg, min, max, kWh and last reading, from aggregates kept on insert.
      responses:
        '200':
          description: Statistics keyed by device id.
          content:
            application/json:
              schema:
                type: object
                properties:
                  devices:
                    type: object
                    additionalProperties:
                      $ref: '#/components/schemas/DeviceStats'
  /api/readings:
    get:
      summary: The newest readings, oldest first.
      parameters:
        - $ref: '#/components/parameters/DeviceID'
        - $ref: '#/components/parameters/Since'
        - name: limit
          in: query
          schema: {type: integer, minimum: 1, maximum: 100000, default: 1000}
      responses:
        '200':
          description: Readings.
          content:
            application/json:
              schema:
                type: object
                properties:
                  readings:
                    type: array
                    items: {$ref: '#/components/schemas/Reading'}
        '400': {$ref: '#/components/responses/Error'}
  /export.csv:
    get:
      summary: Every matching reading as CSV (device_id,timestamp,power), by device id then time, streamed.
      parameters:
        - $ref: '#/components/parameters/DeviceID'
        - $ref: '#/components/parameters/Since'
      responses:
        '200':
          description: CSV with a header line.
          content:
            text/csv:
              schema: {type: string}
        '400': {$ref: '#/components/responses/Error'}
  /dashboard:
    get:
      summary: Self-contained HTML page with statistics and charts, refreshing every 3 s.
      responses:
        '200':
          description: HTML.
          content:
            text/html:
              schema: {type: string}
  /healthz:
    get:
      summary: Liveness.
      responses:
        '200':
          description: Up.
          content:
            application/json:
              schema:
                type: object
                properties:
                  status: {type: string, enum: [ok]}
  /openapi.yaml:
    get:
      summary: This document.
      responses:
        '200':
          description: OpenAPI 3 YAML.
          content:
            application/yaml:
              schema: {type: string}
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      description: Required on POST /energy when the collector runs with --token or ENERGYMON_TOKEN.
  parameters:
    DeviceID:
      name: device_id
      in: query
      schema: {type: string, pattern: '^[A-Za-z0-9_.-]{1,64}$'}
    Since:
      name: since
      in: query
      description: RFC 3339 or YYYY-MM-DD HH:MM:SS (UTC); readings at or after it.
      schema: {type: string}
  schemas:
    Reading:
      type: object
      required: [device_id, timestamp, power]
      properties:
        device_id: {type: string, pattern: '^[A-Za-z0-9_.-]{1,64}$'}
        timestamp:
          type: string
          description: RFC 3339 (e.g. 2025-04-10T12:02:00Z, 2025-04-10T12:02:00.123+02:00) or 2025-04-10 12:02:00 (UTC).
        power: {type: number, minimum: 0, maximum: 100000}
        seq: {type: integer, minimum: 0, maximum: 1099511627775, description: Only in a batch with a source.}
    Batch:
      type: object
      required: [readings]
      properties:
        source: {type: string, pattern: '^[A-Za-z0-9_.-]{1,64}$'}
        readings:
          type: array
          maxItems: 10000
          items: {$ref: '#/components/schemas/Reading'}
    DeviceStats:
      type: object
      properties:
        count: {type: integer}
        avg: {type: number}
        min: {type: number}
        max: {type: number}
        kwh: {type: number}
        last_power: {type: number}
        last_timestamp: {type: string}
    Error:
      type: object
      required: [error]
      properties:
        error: {type: string}
        index: {type: integer, description: Position of the offending reading in the request.}
        field: {type: string}
  responses:
    Error:
      description: Refused; nothing from the request was stored.
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Error'}

"""#
}
