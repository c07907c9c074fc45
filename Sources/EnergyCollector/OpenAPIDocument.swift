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
        - {}
        - bearer: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              description: An object with `readings` is a batch (then its other keys are ignored); any other object is one reading.
              anyOf:
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
        '403': {$ref: '#/components/responses/Error'}
        '405': {$ref: '#/components/responses/Error'}
        '413': {$ref: '#/components/responses/Error'}
        '415': {$ref: '#/components/responses/Error'}
        '421': {$ref: '#/components/responses/Error'}
        '429':
          description: >-
            Nothing was stored: the source would pass its device limit (--max-devices-per-source) or its pace of new
            devices (--max-new-devices-per-minute, then with Retry-After), or the token has --max-requests-per-token
            requests in flight (Retry-After 1). The error names the first new device's reading.
          headers:
            Retry-After: {schema: {type: integer}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
        '503':
          description: >-
            Nothing was stored (the database failed, e.g. a full disk, or --max-inflight-mb of bodies are being read);
            retry after Retry-After seconds.
          headers:
            Retry-After: {schema: {type: integer}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
  /api/stats:
    get:
      summary: Per-device count, avg, min, max, kWh and last reading, from aggregates kept on insert; the same device id in several sources (homes) is summed.
      security:
        - {}
        - bearer: []
      parameters:
        - $ref: '#/components/parameters/Source'
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
        '400': {$ref: '#/components/responses/Error'}
        '401': {$ref: '#/components/responses/Error'}
        '403': {$ref: '#/components/responses/Error'}
        '405': {$ref: '#/components/responses/Error'}
        '503': {$ref: '#/components/responses/Unavailable'}
        '421': {$ref: '#/components/responses/Error'}
  /api/readings:
    get:
      summary: The newest readings, oldest first.
      security:
        - {}
        - bearer: []
      parameters:
        - $ref: '#/components/parameters/DeviceID'
        - $ref: '#/components/parameters/Source'
        - $ref: '#/components/parameters/Since'
        - $ref: '#/components/parameters/Until'
        - name: limit
          in: query
          description: At most this many; empty means the default.
          allowEmptyValue: true
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
        '401': {$ref: '#/components/responses/Error'}
        '403': {$ref: '#/components/responses/Error'}
        '405': {$ref: '#/components/responses/Error'}
        '503': {$ref: '#/components/responses/Unavailable'}
        '421': {$ref: '#/components/responses/Error'}
  /api/energy:
    get:
      summary: Energy (kWh) and, with a tariff, cost per local quarter hour, hour, day, week or month, from rollups kept on insert.
      description: >-
        Buckets start at local midnight (or the local hour, Monday, first of the month) in `tz`, so a
        day the clocks change holds 23 or 25 hours. Energy is the trapezoid integral of each
        device's readings in time order (readings more than six minutes apart are not joined),
        kept per quarter hour as readings arrive; a reading that arrives late updates the past
        buckets it belongs to. Each quarter hour is priced by the tariff (--tariff); without one
        there are no cost keys. Without device_id the buckets are the whole collector's and day,
        week and month buckets carry the standing charge of each tariff day that starts in them.
      security:
        - {}
        - bearer: []
      parameters:
        - $ref: '#/components/parameters/DeviceID'
        - $ref: '#/components/parameters/Source'
        - name: period
          in: query
          description: Bucket size (quarter is 15 minutes); empty means day.
          allowEmptyValue: true
          schema: {type: string, enum: [quarter, hour, day, week, month, '']}
        - name: from
          in: query
          description: >-
            First local date (YYYY-MM-DD, included). Empty means, before `to`, 0 days (quarter, hour),
            29 days (day), 11 weeks (week) or 11 months (month).
          allowEmptyValue: true
          schema: {type: string, pattern: '^([0-9]{4}-[0-9]{2}-[0-9]{2})?$'}
        - name: to
          in: query
          description: Last local date (YYYY-MM-DD, included); empty means today in `tz`.
          allowEmptyValue: true
          schema: {type: string, pattern: '^([0-9]{4}-[0-9]{2}-[0-9]{2})?$'}
        - name: tz
          in: query
          description: IANA time zone of the buckets; empty means the tariff's, else UTC.
          allowEmptyValue: true
          schema: {$ref: '#/components/schemas/TimeZone'}
      responses:
        '200':
          description: Buckets in time order and their total.
          content:
            application/json:
              schema:
                type: object
                required: [device_id, period, tz, from, to, buckets, total]
                properties:
                  device_id: {type: string, nullable: true}
                  period: {type: string, enum: [quarter, hour, day, week, month]}
                  tz: {type: string}
                  from: {type: string, format: date}
                  to: {type: string, format: date}
                  currency: {type: string, description: 'Only with a tariff.'}
                  buckets:
                    type: array
                    items: {$ref: '#/components/schemas/EnergyBucket'}
                  total:
                    type: object
                    required: [kwh]
                    properties:
                      kwh: {type: number}
                      energy_cost: {type: number}
                      standing_charge: {type: number}
                      cost: {type: number}
        '400':
          description: >-
            A parameter is not valid (field names it): an unknown period or time zone, a date that
            does not exist, from after to, or more than 10,000 buckets.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
        '401': {$ref: '#/components/responses/Error'}
        '403': {$ref: '#/components/responses/Error'}
        '404':
          description: No readings were ever stored for device_id.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
        '405': {$ref: '#/components/responses/Error'}
        '503': {$ref: '#/components/responses/Unavailable'}
        '421': {$ref: '#/components/responses/Error'}
  /metrics:
    get:
      summary: The collector's metrics in Prometheus text format (readings accepted, duplicate and refused, write groups, commit latency, reads in flight, requests by route and status with latency, per device power and energy).
      security:
        - {}
        - bearer: []
      responses:
        '200':
          description: Prometheus text exposition, version 0.0.4.
          content:
            text/plain:
              schema: {type: string}
        '401': {$ref: '#/components/responses/Error'}
        '403': {$ref: '#/components/responses/Error'}
        '405': {$ref: '#/components/responses/Error'}
        '503': {$ref: '#/components/responses/Unavailable'}
        '421': {$ref: '#/components/responses/Error'}
  /export.csv:
    get:
      summary: Every matching reading as CSV (device_id,timestamp,power), by device id then time, streamed.
      security:
        - {}
        - bearer: []
      parameters:
        - $ref: '#/components/parameters/DeviceID'
        - $ref: '#/components/parameters/Source'
        - $ref: '#/components/parameters/Since'
        - $ref: '#/components/parameters/Until'
      responses:
        '200':
          description: CSV with a header line.
          content:
            text/csv:
              schema: {type: string}
        '400': {$ref: '#/components/responses/Error'}
        '401': {$ref: '#/components/responses/Error'}
        '403': {$ref: '#/components/responses/Error'}
        '405': {$ref: '#/components/responses/Error'}
        '503': {$ref: '#/components/responses/Unavailable'}
        '421': {$ref: '#/components/responses/Error'}
  /:
    get:
      summary: Redirects to the dashboard.
      responses:
        '302':
          description: To /dashboard.
          headers:
            Location:
              schema: {type: string, enum: [/dashboard]}
        '405': {$ref: '#/components/responses/Error'}
        '421': {$ref: '#/components/responses/Error'}
  /dashboard:
    get:
      summary: Self-contained HTML page; its statistics table and 30 days of daily energy are in the HTML (without a token, or with one given), its script refreshes them every 5 s and draws the power chart.
      parameters:
        - name: page
          in: query
          description: The page of devices in the table, 50 a page (past the last, the last).
          schema: {type: integer, minimum: 1, maximum: 1000000}
      responses:
        '200':
          description: HTML.
          content:
            text/html:
              schema: {type: string}
        '400': {$ref: '#/components/responses/Error'}
        '405': {$ref: '#/components/responses/Error'}
        '503': {$ref: '#/components/responses/Unavailable'}
        '421': {$ref: '#/components/responses/Error'}
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
        '405': {$ref: '#/components/responses/Error'}
        '421': {$ref: '#/components/responses/Error'}
  /openapi.yaml:
    get:
      summary: This document.
      responses:
        '200':
          description: OpenAPI 3 YAML.
          content:
            application/yaml:
              schema: {type: string}
        '405': {$ref: '#/components/responses/Error'}
        '421': {$ref: '#/components/responses/Error'}
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      description: >-
        Required on POST /energy, /api/stats, /api/readings, /api/energy, /metrics and /export.csv when the collector runs
        with --token or ENERGYMON_TOKEN, or with --tokens (a token per home: it writes batches of its own sources only
        and reads only their readings, else 403; /metrics needs an admin token); without a token configured none is
        asked for. The scheme name is case-insensitive.
  parameters:
    Source:
      name: source
      in: query
      description: >-
        Only this source (home); empty means every source the token may read. With --tokens, a home's token
        asking for another home's source gets 403.
      allowEmptyValue: true
      schema: {type: string, pattern: '^[A-Za-z0-9_.-]{0,64}$'}
    DeviceID:
      name: device_id
      in: query
      description: Only this device; empty means every device.
      allowEmptyValue: true
      schema: {type: string, pattern: '^[A-Za-z0-9_.-]{0,64}$'}
    Until:
      name: until
      in: query
      description: >-
        RFC 3339 or YYYY-MM-DD HH:MM:SS (UTC); readings before it (with since, one day of readings is
        since=2025-04-10&until=2025-04-11, which PostgreSQL reads from one partition). Empty means up to the last.
      allowEmptyValue: true
      schema:
        anyOf:
          - {$ref: '#/components/schemas/Timestamp'}
          - {type: string, maxLength: 0}
    Since:
      name: since
      in: query
      description: >-
        RFC 3339 or YYYY-MM-DD HH:MM:SS (UTC), years 0000-9999 after the offset; readings at or
        after it. Empty means from the first.
      allowEmptyValue: true
      schema:
        anyOf:
          - {$ref: '#/components/schemas/Timestamp'}
          - {type: string, maxLength: 0}
  schemas:
    TimeZone:
      type: string
      description: An IANA time zone (the tz database of Debian 12) or UTC; empty means the tariff's zone, else UTC.
      enum: [
        '', Africa/Abidjan, Africa/Accra, Africa/Addis_Ababa, Africa/Algiers, Africa/Asmara, Africa/Bamako,
        Africa/Bangui, Africa/Banjul, Africa/Bissau, Africa/Blantyre, Africa/Brazzaville, Africa/Bujumbura,
        Africa/Cairo, Africa/Casablanca, Africa/Ceuta, Africa/Conakry, Africa/Dakar, Africa/Dar_es_Salaam,
        Africa/Djibouti, Africa/Douala, Africa/El_Aaiun, Africa/Freetown, Africa/Gaborone, Africa/Harare,
        Africa/Johannesburg, Africa/Juba, Africa/Kampala, Africa/Khartoum, Africa/Kigali, Africa/Kinshasa,
        Africa/Lagos, Africa/Libreville, Africa/Lome, Africa/Luanda, Africa/Lubumbashi, Africa/Lusaka, Africa/Malabo,
        Africa/Maputo, Africa/Maseru, Africa/Mbabane, Africa/Mogadishu, Africa/Monrovia, Africa/Nairobi,
        Africa/Ndjamena, Africa/Niamey, Africa/Nouakchott, Africa/Ouagadougou, Africa/Porto-Novo, Africa/Sao_Tome,
        Africa/Tripoli, Africa/Tunis, Africa/Windhoek, America/Adak, America/Anchorage, America/Anguilla,
        America/Antigua, America/Araguaina, America/Argentina/Buenos_Aires, America/Argentina/Catamarca,
        America/Argentina/Cordoba, America/Argentina/Jujuy, America/Argentina/La_Rioja, America/Argentina/Mendoza,
        America/Argentina/Rio_Gallegos, America/Argentina/Salta, America/Argentina/San_Juan,
        America/Argentina/San_Luis, America/Argentina/Tucuman, America/Argentina/Ushuaia, America/Aruba,
        America/Asuncion, America/Atikokan, America/Bahia, America/Bahia_Banderas, America/Barbados, America/Belem,
        America/Belize, America/Blanc-Sablon, America/Boa_Vista, America/Bogota, America/Boise,
        America/Cambridge_Bay, America/Campo_Grande, America/Cancun, America/Caracas, America/Cayenne,
        America/Cayman, America/Chicago, America/Chihuahua, America/Ciudad_Juarez, America/Costa_Rica,
        America/Coyhaique, America/Creston, America/Cuiaba, America/Curacao, America/Danmarkshavn, America/Dawson,
        America/Dawson_Creek, America/Denver, America/Detroit, America/Dominica, America/Edmonton, America/Eirunepe,
        America/El_Salvador, America/Fort_Nelson, America/Fortaleza, America/Glace_Bay, America/Godthab,
        America/Goose_Bay, America/Grand_Turk, America/Grenada, America/Guadeloupe, America/Guatemala,
        America/Guayaquil, America/Guyana, America/Halifax, America/Havana, America/Hermosillo,
        America/Indiana/Indianapolis, America/Indiana/Knox, America/Indiana/Marengo, America/Indiana/Petersburg,
        America/Indiana/Tell_City, America/Indiana/Vevay, America/Indiana/Vincennes, America/Indiana/Winamac,
        America/Inuvik, America/Iqaluit, America/Jamaica, America/Juneau, America/Kentucky/Louisville,
        America/Kentucky/Monticello, America/Kralendijk, America/La_Paz, America/Lima, America/Los_Angeles,
        America/Lower_Princes, America/Maceio, America/Managua, America/Manaus, America/Marigot, America/Martinique,
        America/Matamoros, America/Mazatlan, America/Menominee, America/Merida, America/Metlakatla,
        America/Mexico_City, America/Miquelon, America/Moncton, America/Monterrey, America/Montevideo,
        America/Montreal, America/Montserrat, America/Nassau, America/New_York, America/Nipigon, America/Nome,
        America/Noronha, America/North_Dakota/Beulah, America/North_Dakota/Center, America/North_Dakota/New_Salem,
        America/Nuuk, America/Ojinaga, America/Panama, America/Pangnirtung, America/Paramaribo, America/Phoenix,
        America/Port-au-Prince, America/Port_of_Spain, America/Porto_Velho, America/Puerto_Rico,
        America/Punta_Arenas, America/Rainy_River, America/Rankin_Inlet, America/Recife, America/Regina,
        America/Resolute, America/Rio_Branco, America/Santa_Isabel, America/Santarem, America/Santiago,
        America/Santo_Domingo, America/Sao_Paulo, America/Scoresbysund, America/Shiprock, America/Sitka,
        America/St_Barthelemy, America/St_Johns, America/St_Kitts, America/St_Lucia, America/St_Thomas,
        America/St_Vincent, America/Swift_Current, America/Tegucigalpa, America/Thule, America/Thunder_Bay,
        America/Tijuana, America/Toronto, America/Tortola, America/Vancouver, America/Whitehorse, America/Winnipeg,
        America/Yakutat, America/Yellowknife, Antarctica/Casey, Antarctica/Davis, Antarctica/DumontDUrville,
        Antarctica/Macquarie, Antarctica/Mawson, Antarctica/McMurdo, Antarctica/Palmer, Antarctica/Rothera,
        Antarctica/South_Pole, Antarctica/Syowa, Antarctica/Troll, Antarctica/Vostok, Arctic/Longyearbyen, Asia/Aden,
        Asia/Almaty, Asia/Amman, Asia/Anadyr, Asia/Aqtau, Asia/Aqtobe, Asia/Ashgabat, Asia/Atyrau, Asia/Baghdad,
        Asia/Bahrain, Asia/Baku, Asia/Bangkok, Asia/Barnaul, Asia/Beirut, Asia/Bishkek, Asia/Brunei, Asia/Calcutta,
        Asia/Chita, Asia/Choibalsan, Asia/Chongqing, Asia/Colombo, Asia/Damascus, Asia/Dhaka, Asia/Dili, Asia/Dubai,
        Asia/Dushanbe, Asia/Famagusta, Asia/Gaza, Asia/Harbin, Asia/Hebron, Asia/Ho_Chi_Minh, Asia/Hong_Kong,
        Asia/Hovd, Asia/Irkutsk, Asia/Jakarta, Asia/Jayapura, Asia/Jerusalem, Asia/Kabul, Asia/Kamchatka,
        Asia/Karachi, Asia/Kashgar, Asia/Kathmandu, Asia/Katmandu, Asia/Khandyga, Asia/Krasnoyarsk,
        Asia/Kuala_Lumpur, Asia/Kuching, Asia/Kuwait, Asia/Macau, Asia/Magadan, Asia/Makassar, Asia/Manila,
        Asia/Muscat, Asia/Nicosia, Asia/Novokuznetsk, Asia/Novosibirsk, Asia/Omsk, Asia/Oral, Asia/Phnom_Penh,
        Asia/Pontianak, Asia/Pyongyang, Asia/Qatar, Asia/Qostanay, Asia/Qyzylorda, Asia/Rangoon, Asia/Riyadh,
        Asia/Sakhalin, Asia/Samarkand, Asia/Seoul, Asia/Shanghai, Asia/Singapore, Asia/Srednekolymsk, Asia/Taipei,
        Asia/Tashkent, Asia/Tbilisi, Asia/Tehran, Asia/Thimphu, Asia/Tokyo, Asia/Tomsk, Asia/Ulaanbaatar,
        Asia/Urumqi, Asia/Ust-Nera, Asia/Vientiane, Asia/Vladivostok, Asia/Yakutsk, Asia/Yangon, Asia/Yekaterinburg,
        Asia/Yerevan, Atlantic/Azores, Atlantic/Bermuda, Atlantic/Canary, Atlantic/Cape_Verde, Atlantic/Faroe,
        Atlantic/Madeira, Atlantic/Reykjavik, Atlantic/South_Georgia, Atlantic/St_Helena, Atlantic/Stanley,
        Australia/Adelaide, Australia/Brisbane, Australia/Broken_Hill, Australia/Currie, Australia/Darwin,
        Australia/Eucla, Australia/Hobart, Australia/Lindeman, Australia/Lord_Howe, Australia/Melbourne,
        Australia/Perth, Australia/Sydney, Europe/Amsterdam, Europe/Andorra, Europe/Astrakhan, Europe/Athens,
        Europe/Belgrade, Europe/Berlin, Europe/Bratislava, Europe/Brussels, Europe/Bucharest, Europe/Budapest,
        Europe/Busingen, Europe/Chisinau, Europe/Copenhagen, Europe/Dublin, Europe/Gibraltar, Europe/Guernsey,
        Europe/Helsinki, Europe/Isle_of_Man, Europe/Istanbul, Europe/Jersey, Europe/Kaliningrad, Europe/Kiev,
        Europe/Kirov, Europe/Kyiv, Europe/Lisbon, Europe/Ljubljana, Europe/London, Europe/Luxembourg, Europe/Madrid,
        Europe/Malta, Europe/Mariehamn, Europe/Minsk, Europe/Monaco, Europe/Moscow, Europe/Oslo, Europe/Paris,
        Europe/Podgorica, Europe/Prague, Europe/Riga, Europe/Rome, Europe/Samara, Europe/San_Marino, Europe/Sarajevo,
        Europe/Saratov, Europe/Simferopol, Europe/Skopje, Europe/Sofia, Europe/Stockholm, Europe/Tallinn,
        Europe/Tirane, Europe/Ulyanovsk, Europe/Uzhgorod, Europe/Vaduz, Europe/Vatican, Europe/Vienna,
        Europe/Vilnius, Europe/Volgograd, Europe/Warsaw, Europe/Zagreb, Europe/Zaporozhye, Europe/Zurich, GMT,
        Indian/Antananarivo, Indian/Chagos, Indian/Christmas, Indian/Cocos, Indian/Comoro, Indian/Kerguelen,
        Indian/Mahe, Indian/Maldives, Indian/Mauritius, Indian/Mayotte, Indian/Reunion, Pacific/Apia,
        Pacific/Auckland, Pacific/Bougainville, Pacific/Chatham, Pacific/Chuuk, Pacific/Easter, Pacific/Efate,
        Pacific/Enderbury, Pacific/Fakaofo, Pacific/Fiji, Pacific/Funafuti, Pacific/Galapagos, Pacific/Gambier,
        Pacific/Guadalcanal, Pacific/Guam, Pacific/Honolulu, Pacific/Johnston, Pacific/Kanton, Pacific/Kiritimati,
        Pacific/Kosrae, Pacific/Kwajalein, Pacific/Majuro, Pacific/Marquesas, Pacific/Midway, Pacific/Nauru,
        Pacific/Niue, Pacific/Norfolk, Pacific/Noumea, Pacific/Pago_Pago, Pacific/Palau, Pacific/Pitcairn,
        Pacific/Pohnpei, Pacific/Ponape, Pacific/Port_Moresby, Pacific/Rarotonga, Pacific/Saipan, Pacific/Tahiti,
        Pacific/Tarawa, Pacific/Tongatapu, Pacific/Truk, Pacific/Wake, Pacific/Wallis, UTC]
    Timestamp:
      description: >-
        RFC 3339 with a Z or ±HH:MM offset and any fraction (2025-04-10T12:02:00Z,
        2025-04-10T12:02:00.123+02:00), or the seed's 2025-04-10 12:02:00 (UTC, zone optional).
        Years 1970-9999 after the offset, seconds 00-59 (no leap seconds); anything else gets 400, and so
        does a reading more than 24 h ahead of the collector's clock (POST /energy). The patterns leave
        out the offsets that could cross those years: positive ones on 1970-01-01, negative ones on
        9999-12-31.
      anyOf:
        - type: string
          format: date-time
          pattern: '^(((197[1-9]|19[89][0-9]|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|(19(7[26]|8[048]|9[26])|[2-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[3579][26])00)-02-29|1970-(01-(0[2-9]|[12][0-9]|3[01])|(0[3578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|9999-((0[13578]|10)-(0[1-9]|[12][0-9]|3[01])|12-(0[1-9]|[12][0-9]|30)|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8])))[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])|1970-01-01[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?([Zz]|-([01][0-9]|2[0-3]):[0-5][0-9]|\+00:00)|9999-12-31[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?([Zz]|\+([01][0-9]|2[0-3]):[0-5][0-9]|-00:00))$'
        - type: string
          pattern: '^(((197[1-9]|19[89][0-9]|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|(19(7[26]|8[048]|9[26])|[2-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[3579][26])00)-02-29|1970-(01-(0[2-9]|[12][0-9]|3[01])|(0[3578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|9999-((0[13578]|10)-(0[1-9]|[12][0-9]|3[01])|12-(0[1-9]|[12][0-9]|30)|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?|1970-01-01 ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?([Zz]|-([01][0-9]|2[0-3]):[0-5][0-9]|\+00:00)?|9999-12-31 ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?([Zz]|\+([01][0-9]|2[0-3]):[0-5][0-9]|-00:00)?)$'
    Reading:
      type: object
      required: [device_id, timestamp, power]
      properties:
        device_id: {type: string, pattern: '^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}$', description: 'Not starting with - (a spreadsheet would read it as a formula).'}
        timestamp: {$ref: '#/components/schemas/Timestamp'}
        power: {type: number, minimum: 0, maximum: 100000}
        seq: {type: integer, minimum: 0, maximum: 1099511627775, description: 'Only in a batch with a source; an integer literal (17, not 17.0 or 1.7e1).'}
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
    EnergyBucket:
      type: object
      required: [start, end, label, hours, kwh]
      properties:
        start: {type: string, format: date-time, description: 'UTC instant the bucket starts.'}
        end: {type: string, format: date-time}
        label: {type: string, description: 'Local: 2025-03-30, 2025-03 or 2025-10-26 01:00 (the repeated hour of a day the clocks go back ends in " (2)").'}
        hours: {type: number, description: '23 or 25 for a day the clocks change.'}
        kwh: {type: number}
        energy_cost: {type: number, description: 'kWh of each quarter hour at its price; only with a tariff.'}
        standing_charge: {type: number, description: 'Only with a tariff, without device_id, for day, week and month.'}
        cost: {type: number, description: 'energy_cost plus standing_charge.'}
    Error:
      type: object
      required: [error]
      properties:
        error: {type: string}
        index: {type: integer, description: Position of the offending reading in the request.}
        field: {type: string}
  responses:
    Unavailable:
      description: The database cannot answer now (down, refusing, or slower than 5 s); retry after Retry-After seconds.
      headers:
        Retry-After: {schema: {type: integer}}
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Error'}
    Error:
      description: Refused; nothing from the request was stored.
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Error'}

"""#
}
