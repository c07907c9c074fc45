// The system SQLite that GRDB links; a target of its own so SwiftPM can name the apt package.
#include <sqlite3.h>
