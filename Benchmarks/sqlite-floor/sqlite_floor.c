/*
 * sqlite_floor: what SQLite alone costs for the bytes Gatehouse records, with
 * no Gatehouse code at all. A lower bound for the recorder: whatever the
 * writer does besides (encoding records, sessions, the in-flight index) and
 * whatever the event loops do to hand records over comes on top.
 *
 * It writes blobs the size of a recorded exchange into a WAL-mode database,
 * the way the writer does (one prepared INSERT of a block per transaction,
 * BEGIN IMMEDIATE … COMMIT), and reports the process's CPU time (user and
 * system, from getrusage) per exchange, and for strict mode the latency of a
 * commit.
 *
 *   async   EXCHANGES_PER_TX exchanges per transaction, synchronous=NORMAL,
 *           SQLite's own checkpoint every 1,000 pages (in this thread, so its
 *           copy of the WAL into the database is counted)
 *   strict  the same with synchronous=FULL: every COMMIT ends in fdatasync
 *
 * Build and run (Benchmarks/recording/floor/run.sh does both):
 * Environment: FLOOR_PAGE_SIZE (4096), FLOOR_AUTOCHECKPOINT (1000 pages; 0: none).
 *
 *   cc -O2 -o /tmp/sqlite_floor sqlite_floor.c -lsqlite3
 *   /tmp/sqlite_floor DIR async|strict BYTES_PER_EXCHANGE EXCHANGES_PER_TX TOTAL_EXCHANGES
 */
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double cpu_us(struct timeval tv) { return tv.tv_sec * 1e6 + tv.tv_usec; }

static void check(int rc, sqlite3 *db, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "%s: %s (%d)\n", what, sqlite3_errmsg(db), rc);
        exit(1);
    }
}

static void exec(sqlite3 *db, const char *sql) { check(sqlite3_exec(db, sql, 0, 0, 0), db, sql); }

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s DIR async|strict BYTES_PER_EXCHANGE EXCHANGES_PER_TX TOTAL_EXCHANGES\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    int strict = strcmp(argv[2], "strict") == 0;
    long per_exchange = atol(argv[3]), per_tx = atol(argv[4]), total = atol(argv[5]);
    if (per_exchange <= 0 || per_tx <= 0 || total < per_tx) { fprintf(stderr, "bad sizes\n"); return 2; }
    long transactions = total / per_tx;

    char path[4096];
    snprintf(path, sizeof path, "%s/floor-%s.db", dir, argv[2]);
    unlink(path);
    char side[4200];
    snprintf(side, sizeof side, "%s-wal", path); unlink(side);
    snprintf(side, sizeof side, "%s-shm", path); unlink(side);

    sqlite3 *db;
    check(sqlite3_open(path, &db), db, "open");
    char pragma[128];
    const char *page = getenv("FLOOR_PAGE_SIZE"), *ckpt = getenv("FLOOR_AUTOCHECKPOINT");
    snprintf(pragma, sizeof pragma, "PRAGMA page_size=%s", page ? page : "4096");
    exec(db, pragma);
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, strict ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    snprintf(pragma, sizeof pragma, "PRAGMA wal_autocheckpoint=%s", ckpt ? ckpt : "1000");
    exec(db, pragma);
    exec(db, "CREATE TABLE blocks(id INTEGER PRIMARY KEY, records BLOB NOT NULL)");

    /* Bytes that do not compress or repeat in an obvious way, as records do not. */
    size_t block_bytes = (size_t)(per_exchange * per_tx);
    unsigned char *block = malloc(block_bytes);
    unsigned int seed = 12345;
    for (size_t i = 0; i < block_bytes; i++) { seed = seed * 1103515245u + 12345u; block[i] = (unsigned char)(seed >> 16); }

    sqlite3_stmt *insert, *begin, *commit;
    check(sqlite3_prepare_v2(db, "INSERT INTO blocks(records) VALUES (?1)", -1, &insert, 0), db, "prepare");
    check(sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, 0), db, "prepare");
    check(sqlite3_prepare_v2(db, "COMMIT", -1, &commit, 0), db, "prepare");

    double *latency = malloc(sizeof(double) * (size_t)transactions);
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    double t0 = now_us();
    for (long t = 0; t < transactions; t++) {
        double c0 = now_us();
        check(sqlite3_step(begin), db, "begin"); sqlite3_reset(begin);
        block[0] = (unsigned char)t; /* a different block each time */
        sqlite3_bind_blob(insert, 1, block, (int)block_bytes, SQLITE_STATIC);
        check(sqlite3_step(insert), db, "insert"); sqlite3_reset(insert);
        check(sqlite3_step(commit), db, "commit"); sqlite3_reset(commit);
        latency[t] = now_us() - c0;
    }
    double elapsed = now_us() - t0;
    getrusage(RUSAGE_SELF, &r1);

    double user = cpu_us(r1.ru_utime) - cpu_us(r0.ru_utime);
    double sys = cpu_us(r1.ru_stime) - cpu_us(r0.ru_stime);
    long exchanges = transactions * per_tx;
    qsort(latency, (size_t)transactions, sizeof(double), compare_doubles);
    printf("%s: %ld exchanges of %ld bytes, %ld per transaction: %.0f exchanges/s; "
           "per exchange user %.2f us, sys %.2f us, total %.2f us; "
           "transaction p50 %.1f us, p99 %.1f us\n",
           argv[2], exchanges, per_exchange, per_tx, exchanges / (elapsed / 1e6),
           user / exchanges, sys / exchanges, (user + sys) / exchanges,
           latency[transactions / 2], latency[(transactions * 99) / 100]);
    sqlite3_finalize(insert); sqlite3_finalize(begin); sqlite3_finalize(commit);
    sqlite3_close(db);
    free(block); free(latency);
    return 0;
}
