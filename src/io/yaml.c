/* radlab: YAML documents into a tree (see yaml.h).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tree is built from libyaml's event stream by one recursive descent:
 * parse_node reads the event that starts a node and, for a sequence or a
 * mapping, the events of its items up to the closing event.  Anchored nodes
 * are remembered by name; an alias is a deep copy, counted against the
 * node budget. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "io/yaml.h"
#include "util/error.h"
#include "util/file.h"

typedef struct Anchor {
    char *name;
    RadYaml *node;
} Anchor;

typedef struct Parser {
    yaml_parser_t p;
    const char *name;
    size_t nodes; /* nodes made so far, copies of aliases included */
    Anchor *anchors;
    size_t nanchors, capanchors;
} Parser;

const char *rad_yaml_type_name(RadYamlType t)
{
    static const char *names[] = {"null", "bool", "int", "float", "string", "sequence", "mapping"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

void rad_yaml_free(RadYaml *y)
{
    if (!y)
        return;
    for (size_t i = 0; i < y->n; i++) {
        rad_yaml_free(y->items[i]);
        if (y->keys)
            free(y->keys[i]);
    }
    free(y->items);
    free(y->keys);
    free(y->key_line);
    free(y->text);
    free(y);
}

const RadYaml *rad_yaml_get(const RadYaml *map, const char *key)
{
    if (!map || map->type != RAD_YAML_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0)
            return map->items[i];
    return NULL;
}

/* an error at mark m of the text */
#define AT(ps, m, ...) at_((ps), (m), __VA_ARGS__)
static int at_(const Parser *ps, yaml_mark_t m, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int at_(const Parser *ps, yaml_mark_t m, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rad_error_set("%s:%zu:%zu: %s", ps->name, (size_t)m.line + 1, (size_t)m.column + 1, msg);
}

static RadYaml *new_node(Parser *ps, RadYamlType type, yaml_mark_t m)
{
    RadYaml *y;
    if (++ps->nodes > RAD_YAML_MAX_NODES) {
        AT(ps, m, "more than %d nodes with aliases expanded; is this an alias bomb?", RAD_YAML_MAX_NODES);
        return NULL;
    }
    y = calloc(1, sizeof *y);
    if (!y) {
        rad_error_set("%s: out of memory", ps->name);
        return NULL;
    }
    y->type = type;
    y->line = (int)m.line + 1;
    y->col = (int)m.column + 1;
    return y;
}

/* ---- typing plain scalars (YAML 1.1) ---------------------------------------- */

static int one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

static int is_digit_in(int c, int base)
{
    if (c >= '0' && c <= '9')
        return c - '0' < base;
    if (base == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
        return 1;
    return 0;
}

/* An integer in YAML 1.1 spelling (underscores allowed between digits):
 * 1 on success with *v set, 0 when s is not one, -1 when it overflows. */
static int yaml_int(const char *s, long long *v)
{
    char digits[128];
    size_t nd = 0;
    int neg = 0, base = 10;
    const char *p = s;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        base = 16, p += 2;
    else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
        base = 2, p += 2;
    else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
        base = 8, p += 2;
    else if (p[0] == '0' && p[1])
        base = 8, p += 1;
    if (!*p)
        return 0;
    for (; *p; p++) {
        if (*p == '_')
            continue;
        if (!is_digit_in((unsigned char)*p, base) || nd + 1 >= sizeof digits)
            return 0;
        digits[nd++] = *p;
    }
    if (!nd)
        return 0;
    digits[nd] = '\0';
    errno = 0;
    unsigned long long u = strtoull(digits, NULL, base);
    if (errno == ERANGE || u > (unsigned long long)LLONG_MAX + (unsigned long long)neg)
        return -1;
    *v = neg ? (long long)(0 - u) : (long long)u;
    return 1;
}

/* A float in YAML 1.1 spelling: [-+]? digits '.' digits? ([eE][-+]digits)?,
 * or '.' digits ..., or .inf / .nan. */
static int yaml_float(const char *s, double *v)
{
    static const char *const inf[] = {".inf", ".Inf", ".INF", NULL}, *const nan_[] = {".nan", ".NaN", ".NAN", NULL};
    char buf[128];
    size_t n = 0;
    const char *p = s;
    int sign = 1, mant = 0, point = 0;
    if (*p == '+' || *p == '-')
        sign = *p == '-' ? -1 : 1, buf[n++] = *p++;
    if (one_of(p, inf)) {
        *v = sign * HUGE_VAL;
        return 1;
    }
    if (p == s && one_of(p, nan_)) {
        *v = NAN;
        return 1;
    }
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '_')
            continue;
        if (*p == '.') {
            if (point)
                return 0;
            point = 1;
        } else if (*p >= '0' && *p <= '9')
            mant = 1;
        else
            return 0;
        if (n + 1 >= sizeof buf)
            return 0;
        buf[n++] = *p;
    }
    if (!point || !mant)
        return 0;
    if (*p) { /* exponent: e, a sign, digits */
        if ((p[1] != '+' && p[1] != '-') || !p[2])
            return 0;
        for (const char *q = p + 2; *q; q++)
            if (*q < '0' || *q > '9')
                return 0;
        if (n + strlen(p) + 1 >= sizeof buf)
            return 0;
        strcpy(buf + n, p);
        n += strlen(p);
    }
    buf[n] = '\0';
    *v = strtod(buf, NULL);
    return 1;
}

static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const trues[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", NULL};
static const char *const falses[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", NULL};

static int type_scalar(Parser *ps, RadYaml *y, const yaml_event_t *ev)
{
    const char *s = y->text, *tag = (const char *)ev->data.scalar.tag;
    int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    int rc;
    if (tag && strcmp(tag, "!") == 0)
        tag = NULL, plain = 0;
    if (tag) {
        if (strcmp(tag, YAML_STR_TAG) == 0) {
            y->type = RAD_YAML_STRING;
            return 0;
        }
        if (strcmp(tag, YAML_NULL_TAG) == 0 && one_of(s, nulls)) {
            y->type = RAD_YAML_NULL;
            return 0;
        }
        if (strcmp(tag, YAML_BOOL_TAG) == 0 && (one_of(s, trues) || one_of(s, falses))) {
            y->type = RAD_YAML_BOOL;
            y->i = one_of(s, trues);
            return 0;
        }
        if (strcmp(tag, YAML_INT_TAG) == 0 && (rc = yaml_int(s, &y->i)) != 0) {
            if (rc < 0)
                return AT(ps, ev->start_mark, "integer out of range: %s", s);
            y->type = RAD_YAML_INT;
            y->f = (double)y->i;
            return 0;
        }
        if (strcmp(tag, YAML_FLOAT_TAG) == 0) {
            long long iv;
            if (yaml_float(s, &y->f)) {
                y->type = RAD_YAML_FLOAT;
                return 0;
            }
            if (yaml_int(s, &iv) == 1) {
                y->type = RAD_YAML_FLOAT;
                y->f = (double)iv;
                return 0;
            }
        }
        return AT(ps, ev->start_mark, "the value '%s' does not fit its tag !!%s", s,
                  strncmp(tag, "tag:yaml.org,2002:", 18) == 0 ? tag + 18 : tag);
    }
    y->type = RAD_YAML_STRING;
    if (!plain)
        return 0;
    if (one_of(s, nulls))
        y->type = RAD_YAML_NULL;
    else if (one_of(s, trues))
        y->type = RAD_YAML_BOOL, y->i = 1;
    else if (one_of(s, falses))
        y->type = RAD_YAML_BOOL, y->i = 0;
    else if ((rc = yaml_int(s, &y->i)) != 0) {
        if (rc < 0)
            return AT(ps, ev->start_mark, "integer out of range: %s", s);
        y->type = RAD_YAML_INT;
        y->f = (double)y->i;
    } else if (yaml_float(s, &y->f))
        y->type = RAD_YAML_FLOAT;
    return 0;
}

/* ---- the tree ---------------------------------------------------------------- */

static int next(Parser *ps, yaml_event_t *ev)
{
    if (yaml_parser_parse(&ps->p, ev))
        return 0;
    if (ps->p.context)
        return rad_error_set("%s:%zu:%zu: %s (%s, line %zu column %zu)", ps->name, ps->p.problem_mark.line + 1,
                             ps->p.problem_mark.column + 1, ps->p.problem ? ps->p.problem : "syntax error",
                             ps->p.context, ps->p.context_mark.line + 1, ps->p.context_mark.column + 1);
    return rad_error_set("%s:%zu:%zu: %s", ps->name, ps->p.problem_mark.line + 1, ps->p.problem_mark.column + 1,
                         ps->p.problem ? ps->p.problem : "syntax error");
}

static RadYaml *copy_node(Parser *ps, const RadYaml *src, yaml_mark_t m)
{
    RadYaml *y = new_node(ps, src->type, m);
    if (!y)
        return NULL;
    y->line = src->line, y->col = src->col, y->i = src->i, y->f = src->f;
    if (src->text && !(y->text = strdup(src->text)))
        goto oom;
    if (src->n) {
        y->items = calloc(src->n, sizeof *y->items);
        if (!y->items || (src->keys && !(y->keys = calloc(src->n, sizeof *y->keys))) ||
            (src->key_line && !(y->key_line = calloc(src->n, sizeof *y->key_line))))
            goto oom;
        for (size_t i = 0; i < src->n; i++) {
            y->n = i + 1;
            if (src->keys && !(y->keys[i] = strdup(src->keys[i])))
                goto oom;
            if (src->key_line)
                y->key_line[i] = src->key_line[i];
            if (!(y->items[i] = copy_node(ps, src->items[i], m))) {
                rad_yaml_free(y);
                return NULL;
            }
        }
    }
    return y;
oom:
    rad_yaml_free(y);
    rad_error_set("%s: out of memory", ps->name);
    return NULL;
}

static int remember(Parser *ps, const yaml_char_t *anchor, RadYaml *y)
{
    if (!anchor)
        return 0;
    if (ps->nanchors == ps->capanchors) {
        size_t cap = ps->capanchors ? 2 * ps->capanchors : 8;
        Anchor *a = realloc(ps->anchors, cap * sizeof *a);
        if (!a)
            return rad_error_set("%s: out of memory", ps->name);
        ps->anchors = a, ps->capanchors = cap;
    }
    if (!(ps->anchors[ps->nanchors].name = strdup((const char *)anchor)))
        return rad_error_set("%s: out of memory", ps->name);
    ps->anchors[ps->nanchors++].node = y;
    return 0;
}

static int push_item(Parser *ps, RadYaml *y, RadYaml *item, char *key, int key_line, size_t *cap)
{
    if (y->n == *cap) {
        size_t c = *cap ? 2 * *cap : 8;
        RadYaml **it = realloc(y->items, c * sizeof *it);
        if (!it)
            return rad_error_set("%s: out of memory", ps->name);
        y->items = it;
        if (y->type == RAD_YAML_MAP) {
            char **k = realloc(y->keys, c * sizeof *k);
            int *kl;
            if (!k)
                return rad_error_set("%s: out of memory", ps->name);
            y->keys = k;
            if (!(kl = realloc(y->key_line, c * sizeof *kl)))
                return rad_error_set("%s: out of memory", ps->name);
            y->key_line = kl;
        }
        *cap = c;
    }
    if (y->type == RAD_YAML_MAP) {
        y->keys[y->n] = key;
        y->key_line[y->n] = key_line;
    }
    y->items[y->n++] = item;
    return 0;
}

/* The node that starts with *ev (which this function owns and deletes). */
static RadYaml *parse_node(Parser *ps, yaml_event_t *ev, int depth)
{
    RadYaml *y = NULL;
    if (depth > RAD_YAML_MAX_DEPTH) {
        AT(ps, ev->start_mark, "nesting deeper than %d levels", RAD_YAML_MAX_DEPTH);
        yaml_event_delete(ev);
        return NULL;
    }
    switch (ev->type) {
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;
        for (size_t i = ps->nanchors; i-- > 0;)
            if (strcmp(ps->anchors[i].name, name) == 0) {
                y = copy_node(ps, ps->anchors[i].node, ev->start_mark);
                yaml_event_delete(ev);
                return y;
            }
        AT(ps, ev->start_mark, "the alias *%s names no anchor (&%s) defined before it", name, name);
        yaml_event_delete(ev);
        return NULL;
    }
    case YAML_SCALAR_EVENT:
        if (!(y = new_node(ps, RAD_YAML_STRING, ev->start_mark)))
            break;
        if (!(y->text = malloc(ev->data.scalar.length + 1))) {
            rad_error_set("%s: out of memory", ps->name);
            break;
        }
        memcpy(y->text, ev->data.scalar.value, ev->data.scalar.length);
        y->text[ev->data.scalar.length] = '\0';
        if (strlen(y->text) != ev->data.scalar.length) {
            AT(ps, ev->start_mark, "a value holds a NUL character");
            break;
        }
        if (type_scalar(ps, y, ev) < 0 || remember(ps, ev->data.scalar.anchor, y) < 0)
            break;
        yaml_event_delete(ev);
        return y;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int map = ev->type == YAML_MAPPING_START_EVENT;
        yaml_event_type_t end = map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
        const yaml_char_t *anchor = map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
        size_t cap = 0;
        if (!(y = new_node(ps, map ? RAD_YAML_MAP : RAD_YAML_SEQ, ev->start_mark)))
            break;
        if (remember(ps, anchor, y) < 0)
            break;
        yaml_event_delete(ev);
        for (;;) {
            yaml_event_t e;
            char *key = NULL;
            int key_line = 0;
            RadYaml *item;
            if (next(ps, &e) < 0)
                goto fail;
            if (e.type == end) {
                yaml_event_delete(&e);
                return y;
            }
            if (map) {
                if (e.type != YAML_SCALAR_EVENT) {
                    AT(ps, e.start_mark, "a mapping key must be a plain value (a name), not %s",
                       e.type == YAML_ALIAS_EVENT ? "an alias" : "a sequence or mapping");
                    yaml_event_delete(&e);
                    goto fail;
                }
                key = malloc(e.data.scalar.length + 1);
                if (!key) {
                    yaml_event_delete(&e);
                    rad_error_set("%s: out of memory", ps->name);
                    goto fail;
                }
                memcpy(key, e.data.scalar.value, e.data.scalar.length);
                key[e.data.scalar.length] = '\0';
                key_line = (int)e.start_mark.line + 1;
                for (size_t i = 0; i < y->n; i++)
                    if (strcmp(y->keys[i], key) == 0) {
                        rad_error_set("%s:%zu:%zu: the key '%s' is given twice in one mapping (first at line %d)",
                                      ps->name, e.start_mark.line + 1, e.start_mark.column + 1, key,
                                      y->items[i]->line);
                        free(key);
                        yaml_event_delete(&e);
                        goto fail;
                    }
                yaml_event_delete(&e);
                if (next(ps, &e) < 0) {
                    free(key);
                    goto fail;
                }
            }
            if (!(item = parse_node(ps, &e, depth + 1))) {
                free(key);
                goto fail;
            }
            if (push_item(ps, y, item, key, key_line, &cap) < 0) {
                free(key);
                rad_yaml_free(item);
                goto fail;
            }
        }
    fail:
        /* an anchor may point into y: forget anchors made inside it */
        rad_yaml_free(y);
        return NULL;
    }
    default:
        AT(ps, ev->start_mark, "unexpected YAML event %d", (int)ev->type);
        break;
    }
    yaml_event_delete(ev);
    rad_yaml_free(y);
    return NULL;
}

RadYaml *rad_yaml_parse(const char *text, size_t len, const char *name)
{
    Parser ps;
    yaml_event_t ev;
    RadYaml *doc = NULL;
    int ndocs = 0;
    memset(&ps, 0, sizeof ps);
    ps.name = name ? name : "YAML";
    if (!yaml_parser_initialize(&ps.p)) {
        rad_error_set("%s: out of memory", ps.name);
        return NULL;
    }
    yaml_parser_set_input_string(&ps.p, (const unsigned char *)text, len);
    for (;;) {
        if (next(&ps, &ev) < 0)
            goto fail;
        if (ev.type == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (ev.type == YAML_DOCUMENT_START_EVENT) {
            yaml_mark_t m = ev.start_mark;
            yaml_event_delete(&ev);
            if (++ndocs > 1) {
                AT(&ps, m, "the file holds more than one YAML document (---); give one");
                goto fail;
            }
            if (next(&ps, &ev) < 0)
                goto fail;
            if (!(doc = parse_node(&ps, &ev, 0)))
                goto fail;
            if (next(&ps, &ev) < 0)
                goto fail;
            yaml_event_delete(&ev); /* document end */
            continue;
        }
        yaml_event_delete(&ev); /* stream start */
    }
    if (!doc) {
        yaml_mark_t m = {0, 0, 0};
        doc = new_node(&ps, RAD_YAML_NULL, m);
    }
    goto done;
fail:
    rad_yaml_free(doc);
    doc = NULL;
done:
    for (size_t i = 0; i < ps.nanchors; i++)
        free(ps.anchors[i].name);
    free(ps.anchors);
    yaml_parser_delete(&ps.p);
    return doc;
}

RadYaml *rad_yaml_read(const char *path)
{
    size_t len;
    char *text;
    RadYaml *y;
    FILE *fp = rad_file_open_read(path, "a YAML file");
    if (!fp)
        return NULL;
    fclose(fp);
    if (!(text = rad_file_slurp(path, &len))) {
        rad_error_prefix("'%s'", path);
        return NULL;
    }
    y = rad_yaml_parse(text, len, path);
    free(text);
    return y;
}
