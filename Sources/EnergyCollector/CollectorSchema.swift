import GRDB

/// The collector's tables, as migrations so a database made by an older version is upgraded in place.
enum CollectorSchema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE readings (
            id INTEGER PRIMARY KEY,
            device_id TEXT NOT NULL,
            ts INTEGER NOT NULL,
            power REAL NOT NULL,
            source TEXT,
            seq INTEGER,
            UNIQUE (source, seq)
          );
          CREATE INDEX readings_device_ts ON readings (device_id, ts);
          CREATE INDEX readings_ts ON readings (ts);
          CREATE TABLE device_stats (
            device_id TEXT PRIMARY KEY,
            count INTEGER NOT NULL,
            sum REAL NOT NULL,
            min REAL NOT NULL,
            max REAL NOT NULL,
            kwh REAL NOT NULL,
            last_ts INTEGER NOT NULL,
            last_power REAL NOT NULL
          );
          """)
    }
    // Readings are clustered by (device, ts): one B-tree insert per reading instead of three
    // (table, unique (source, seq) index, device index), and a device's history is one range.
    // With 32 concurrent 500-reading batches that took the collector from about 150,000 to over
    // 200,000 readings/s here. Devices and sources become small integer keys; a reading's `id`
    // tells apart readings of one device at one instant (see `ReadingKey`).
    migrator.registerMigration("v2-clustered") { db in
      try db.execute(
        sql: """
          CREATE TABLE devices (
            key INTEGER PRIMARY KEY,
            device_id TEXT NOT NULL UNIQUE,
            count INTEGER NOT NULL DEFAULT 0,
            sum REAL NOT NULL DEFAULT 0,
            min REAL NOT NULL DEFAULT 0,
            max REAL NOT NULL DEFAULT 0,
            kwh REAL NOT NULL DEFAULT 0,
            last_ts INTEGER NOT NULL DEFAULT 0,
            last_power REAL NOT NULL DEFAULT 0
          );
          CREATE TABLE sources (
            key INTEGER PRIMARY KEY CHECK (key BETWEEN 1 AND \(ReadingKey.maxSourceKey)),
            name TEXT NOT NULL UNIQUE
          );
          CREATE TABLE counters (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL
          );
          INSERT INTO devices (device_id, count, sum, min, max, kwh, last_ts, last_power)
            SELECT device_id, count, sum, min, max, kwh, last_ts, last_power FROM device_stats ORDER BY device_id;
          INSERT OR IGNORE INTO devices (device_id) SELECT DISTINCT device_id FROM readings ORDER BY device_id;
          INSERT INTO sources (name) SELECT DISTINCT source FROM readings WHERE source IS NOT NULL ORDER BY source;
          CREATE TABLE readings_v2 (
            device INTEGER NOT NULL,
            ts INTEGER NOT NULL,
            id INTEGER NOT NULL,
            power REAL NOT NULL,
            PRIMARY KEY (device, ts, id)
          ) WITHOUT ROWID;
          INSERT INTO readings_v2 (device, ts, id, power)
            SELECT d.key, r.ts, (s.key << \(ReadingKey.seqBits)) | r.seq, r.power
            FROM readings r JOIN devices d ON d.device_id = r.device_id JOIN sources s ON s.name = r.source
            WHERE r.seq BETWEEN 0 AND \(ReadingKey.maxSeq);
          INSERT INTO readings_v2 (device, ts, id, power)
            SELECT d.key, r.ts, row_number() OVER (ORDER BY r.id), r.power
            FROM readings r JOIN devices d ON d.device_id = r.device_id
            WHERE r.source IS NULL OR r.seq IS NULL OR r.seq NOT BETWEEN 0 AND \(ReadingKey.maxSeq);
          INSERT INTO counters (name, value)
            SELECT 'unsourced', count(*) + 1 FROM readings
            WHERE source IS NULL OR seq IS NULL OR seq NOT BETWEEN 0 AND \(ReadingKey.maxSeq);
          DROP TABLE readings;
          DROP TABLE device_stats;
          ALTER TABLE readings_v2 RENAME TO readings;
          """)
    }
    // Energy per device and per home by quarter hour, kept on insert, so `/api/energy` answers any
    // time zone's hours, days and months, and any tariff's bands, without reading raw readings.
    migrator.registerMigration("v3-energy-rollups") { db in
      try db.execute(
        sql: """
          CREATE TABLE energy_quarters (
            device INTEGER NOT NULL,
            slot INTEGER NOT NULL,
            kwh REAL NOT NULL,
            PRIMARY KEY (device, slot)
          ) WITHOUT ROWID;
          CREATE TABLE home_quarters (
            slot INTEGER PRIMARY KEY,
            kwh REAL NOT NULL
          );
          """)
      // Filled by v4, which follows at once.

    }
    // A device belongs to one source (home): two homes' AC001 are two devices, each with its own
    // statistics and energy (before, their readings were integrated as one device's). Existing
    // devices are split by the source packed into each reading's id, and their figures rebuilt.
    migrator.registerMigration("v4-devices-per-source") { db in
      try db.execute(
        sql: """
          CREATE TABLE devices_v4 (
            key INTEGER PRIMARY KEY,
            source INTEGER NOT NULL,
            device_id TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 0,
            sum REAL NOT NULL DEFAULT 0,
            min REAL NOT NULL DEFAULT 0,
            max REAL NOT NULL DEFAULT 0,
            kwh REAL NOT NULL DEFAULT 0,
            last_ts INTEGER NOT NULL DEFAULT 0,
            last_power REAL NOT NULL DEFAULT 0,
            UNIQUE (source, device_id)
          );
          INSERT INTO devices_v4 (source, device_id)
            SELECT DISTINCT r.id >> \(ReadingKey.seqBits), d.device_id FROM readings r JOIN devices d ON d.key = r.device
            ORDER BY 2, 1;
          CREATE TABLE readings_v4 (
            device INTEGER NOT NULL,
            ts INTEGER NOT NULL,
            id INTEGER NOT NULL,
            power REAL NOT NULL,
            PRIMARY KEY (device, ts, id)
          ) WITHOUT ROWID;
          INSERT INTO readings_v4 (device, ts, id, power)
            SELECT n.key, r.ts, r.id, r.power FROM readings r JOIN devices d ON d.key = r.device
            JOIN devices_v4 n ON n.device_id = d.device_id AND n.source = r.id >> \(ReadingKey.seqBits);
          DROP TABLE readings;
          ALTER TABLE readings_v4 RENAME TO readings;
          DROP TABLE devices;
          ALTER TABLE devices_v4 RENAME TO devices;
          UPDATE devices SET
            count = (SELECT count(*) FROM readings WHERE device = devices.key),
            sum = (SELECT sum(power) FROM readings WHERE device = devices.key),
            min = (SELECT min(power) FROM readings WHERE device = devices.key),
            max = (SELECT max(power) FROM readings WHERE device = devices.key),
            last_ts = (SELECT ts FROM readings WHERE device = devices.key ORDER BY ts DESC, id DESC LIMIT 1),
            last_power = (SELECT power FROM readings WHERE device = devices.key ORDER BY ts DESC, id DESC LIMIT 1);
          DROP TABLE home_quarters;
          CREATE TABLE home_quarters (
            source INTEGER NOT NULL,
            slot INTEGER NOT NULL,
            kwh REAL NOT NULL,
            PRIMARY KEY (source, slot)
          ) WITHOUT ROWID;
          """)
      try EnergyRollups.rebuild(db)
    }
    // When each device was made, so a source's pace of new devices is counted in the write that
    // makes them (`DeviceAdmission`); devices made before count as old.
    migrator.registerMigration("v5-device-created") { db in
      try db.execute(
        sql: """
          ALTER TABLE devices ADD COLUMN created_ms INTEGER NOT NULL DEFAULT 0;
          CREATE INDEX devices_source_created ON devices (source, created_ms);
          """)
    }
    return migrator
  }
}
