/* The C ABI runs every ceremony vector of tests/vectors/ceremony-* from
 * bindings/testdata/ceremonies.txt and checks the office it builds against the vector's files
 * byte for byte (documents, signatures, office.log), then the ABI's rules on bad arguments.
 *
 *   cc -std=c99 -Wall -Werror -I bindings/c/include bindings/c/tests/ceremony.c \
 *      -L target/debug -ldouble_random_ffi -Wl,-rpath,target/debug -o ceremony
 *   ./ceremony bindings/testdata/ceremonies.txt tests/vectors
 */
#define _POSIX_C_SOURCE 200809L
#include "double_random.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int passed = 0, failed = 0;

static void check(int ok, const char *what, const char *detail) {
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    }
}

static unsigned char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

static const uint8_t *u8(const char *s) { return (const uint8_t *)s; }

/* The error's code: the text of "code":"..." in the error JSON (a simple scan is enough here). */
static int has_code(const DrBuffer *b, const char *code) {
    char want[128];
    snprintf(want, sizeof want, "\"code\":\"%s\"", code);
    char *text = malloc(b->len + 1);
    memcpy(text, b->data, b->len);
    text[b->len] = 0;
    int found = strstr(text, want) != NULL;
    free(text);
    return found;
}

static const char *INPUT_FILES[6] = {"entities.csv", "inspectors.csv", "items.csv",
                                     "conflicts.csv", "history.csv", "plan.toml"};

static DrInputs *load_inputs(const char *vectors, const char *dir) {
    unsigned char *f[6];
    size_t n[6];
    char path[1024];
    for (int i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "%s/%s/%s", vectors, dir, INPUT_FILES[i]);
        f[i] = read_all(path, &n[i]);
        if (!f[i]) { check(0, "read input", path); return NULL; }
    }
    DrInputs *inputs = NULL;
    DrBuffer out = {0};
    int32_t s = dr_inputs_load(f[0], n[0], f[1], n[1], f[2], n[2], f[3], n[3], f[4], n[4],
                               f[5], n[5], &inputs, &out);
    check(s == DR_STATUS_OK && inputs, "inputs load", dir);
    if (s != DR_STATUS_OK) fprintf(stderr, "%.*s\n", (int)out.len, (const char *)out.data);
    dr_buffer_free(&out);
    for (int i = 0; i < 6; i++) free(f[i]);
    return inputs;
}

/* A file the bindings publish: a document, a checkpoint of the log, or its signature. */
static int published(const char *name) {
    static const char *exact[] = {"announcement.json", "sheet.json", "void.json"};
    static const char *numbered[] = {"amendment-", "checkpoint-"};
    char base[256];
    snprintf(base, sizeof base, "%s", name);
    size_t l = strlen(base);
    if (l > 8 && strcmp(base + l - 8, ".minisig") == 0) base[l - 8] = 0;
    for (int i = 0; i < 3; i++)
        if (strcmp(base, exact[i]) == 0) return 1;
    l = strlen(base);
    for (int i = 0; i < 2; i++) {
        size_t p = strlen(numbered[i]);
        if (strncmp(base, numbered[i], p) == 0 && l > p + 5 && strcmp(base + l - 5, ".json") == 0)
            return 1;
    }
    return 0;
}

/* Every published file of the vector equals the office's, and the office has no other. */
static void compare(DrOffice *office, const char *vectors, const char *vector) {
    char dir[1024], path[2048];
    snprintf(dir, sizeof dir, "%s/%s", vectors, vector);
    size_t count = 0;
    DIR *d = opendir(dir);
    if (!d) { check(0, "open vector", dir); return; }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) continue;
        DIR *dd = opendir(path);
        struct dirent *f;
        while ((f = readdir(dd))) {
            if (!published(f->d_name)) continue;
            char file[3072];
            snprintf(file, sizeof file, "%s/%s", path, f->d_name);
            size_t want_len;
            unsigned char *want = read_all(file, &want_len);
            DrBuffer got = {0};
            int32_t s = dr_office_get(office, u8(e->d_name), strlen(e->d_name), u8(f->d_name),
                                      strlen(f->d_name), &got);
            check(s == DR_STATUS_OK && got.len == want_len && memcmp(got.data, want, want_len) == 0,
                  "byte for byte", file);
            dr_buffer_free(&got);
            free(want);
            count++;
        }
        closedir(dd);
    }
    closedir(d);
    char msg[256];
    snprintf(msg, sizeof msg, "%s: %zu files in the vector, %zu in the office", vector, count,
             dr_office_len(office));
    check(count > 0 && count == dr_office_len(office), "the same files", msg);
    size_t log_len;
    snprintf(path, sizeof path, "%s/office.log", dir);
    unsigned char *log = read_all(path, &log_len);
    DrBuffer got = {0};
    dr_office_log(office, &got);
    check(log && got.len == log_len && memcmp(got.data, log, log_len) == 0, "office.log", vector);
    dr_buffer_free(&got);
    free(log);
}

typedef int32_t (*Step)(const DrOffice *, const DrInputs *, const DrKey *, const uint8_t *,
                        size_t, DrBuffer *);

static int32_t void_step(const DrOffice *o, const DrInputs *i, const DrKey *k, const uint8_t *r,
                         size_t n, DrBuffer *out) {
    (void)i;
    return dr_void(o, k, r, n, out);
}

static int32_t verify_step(const DrOffice *o, const DrInputs *i, const DrKey *k, const uint8_t *r,
                           size_t n, DrBuffer *out) {
    (void)k;
    return dr_verify(o, i, r, n, out);
}

static Step step_of(const char *verb) {
    if (strcmp(verb, "announce") == 0) return dr_announce;
    if (strcmp(verb, "draw") == 0) return dr_draw;
    if (strcmp(verb, "amend") == 0) return dr_amend;
    if (strcmp(verb, "void") == 0) return void_step;
    if (strcmp(verb, "verify") == 0) return verify_step;
    return NULL;
}

static void run_script(const char *script, const char *vectors) {
    size_t len;
    char *text = (char *)read_all(script, &len);
    if (!text) { check(0, "read script", script); return; }
    text = realloc(text, len + 1);
    text[len] = 0;
    uint8_t id[8] = {0x5a, 2, 0, 2, 6, 1, 2, 5}, seed[32];
    memset(seed, 42, sizeof seed);
    DrKey *key = NULL;
    DrBuffer out = {0};
    check(dr_key_from_seed(id, seed, &key, &out) == DR_STATUS_OK, "key", NULL);
    check(has_code(&out, "x") == 0 && strstr((char *)out.data, "050201060200025A") != NULL,
          "key id as documents print it", NULL);
    dr_buffer_free(&out);
    DrOffice *office = NULL;
    DrInputs *inputs = NULL;
    char vector[256] = "";
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || line[0] == 0) continue;
        char *rest = strchr(line, ' ');
        if (!rest) continue;
        *rest++ = 0;
        if (strcmp(line, "vector") == 0) {
            if (office) { compare(office, vectors, vector); dr_office_free(office); }
            snprintf(vector, sizeof vector, "%s", rest);
            office = dr_office_new();
            continue;
        }
        if (strcmp(line, "inputs") == 0) {
            dr_inputs_free(inputs);
            inputs = load_inputs(vectors, rest);
            continue;
        }
        const char *expect = NULL;
        if (strcmp(line, "refuse") == 0) {
            expect = rest;
            rest = strchr(rest, ' ');
            *rest++ = 0;
            line = rest;
            rest = strchr(rest, ' ');
            *rest++ = 0;
        }
        Step step = step_of(line);
        if (!step) { check(0, "verb", line); continue; }
        int32_t s = step(office, inputs, key, u8(rest), strlen(rest), &out);
        char what[512];
        snprintf(what, sizeof what, "%s %s %.*s", vector, line, (int)(out.len > 300 ? 300 : out.len),
                 (const char *)out.data);
        if (expect) {
            check(s == DR_STATUS_REFUSED && has_code(&out, expect), "refused", what);
        } else if (strcmp(line, "verify") == 0) {
            check(s == DR_STATUS_OK && strstr((char *)out.data, "\"passed\":true,\"replayed\":true") != NULL,
                  "verify", what);
        } else {
            check(s == DR_STATUS_OK, "step", what);
        }
        dr_buffer_free(&out);
    }
    if (office) { compare(office, vectors, vector); dr_office_free(office); }
    dr_inputs_free(inputs);
    dr_key_free(key);
    free(text);
}

/* Null pointers, bad JSON and missing documents are status codes with error JSON. */
static void rules(void) {
    const char *v = dr_version();
    check(v && strncmp(v, "double-random-ffi ", 18) == 0, "version", v);
    check(dr_abi_version() == 1, "abi version", NULL);
    DrBuffer out = {0};
    check(dr_draw(NULL, NULL, NULL, u8("{}"), 2, &out) == DR_STATUS_ARGUMENT &&
              has_code(&out, "argument.null"),
          "null office", NULL);
    dr_buffer_free(&out);
    check(out.data == NULL && out.len == 0, "a freed buffer is empty", NULL);
    dr_buffer_free(&out); /* twice is harmless */
    dr_buffer_free(NULL);
    check(dr_commitment(u8("{\"draw_id\":"), 11, &out) == DR_STATUS_ARGUMENT &&
              has_code(&out, "argument.json"),
          "bad JSON", NULL);
    dr_buffer_free(&out);
    check(dr_commitment(NULL, 5, &out) == DR_STATUS_ARGUMENT, "null with a length", NULL);
    dr_buffer_free(&out);
    DrOffice *o = dr_office_new();
    check(dr_office_get(o, u8("D1"), 2, u8("sheet.json"), 10, &out) == DR_STATUS_NOT_FOUND &&
              has_code(&out, "office.missing_document"),
          "missing document", NULL);
    dr_buffer_free(&out);
    check(dr_office_put(o, u8("D1"), 2, u8("x.json"), 6, u8("{}"), 2, NULL) == DR_STATUS_OK &&
              dr_office_put(o, u8("D1"), 2, u8("x.json"), 6, u8("{}"), 2, &out) ==
                  DR_STATUS_REFUSED,
          "documents are never overwritten", NULL);
    dr_buffer_free(&out);
    dr_office_free(o);
    check(dr_inputs_load(u8("id\n"), 3, u8(""), 0, u8(""), 0, NULL, 0, NULL, 0, u8("x"), 1, NULL,
                         &out) == DR_STATUS_INPUT &&
              has_code(&out, "input.invalid"),
          "bad inputs", NULL);
    dr_buffer_free(&out);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s ceremonies.txt tests/vectors\n", argv[0]);
        return 2;
    }
    run_script(argv[1], argv[2]);
    rules();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
