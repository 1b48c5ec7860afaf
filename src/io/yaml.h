/* radlab: reading YAML documents (parameter files such as PyRadiomics'
 * Params.yaml) into a small tree.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libyaml parses; this file builds the tree and types plain scalars the way
 * YAML 1.1 (and PyYAML's safe loader, which PyRadiomics uses) resolves them:
 *   null   ~, null, Null, NULL, or nothing
 *   bool   true/false, yes/no, on/off (also Capitalised and UPPER)
 *   int    123, -4, 1_000, 0x1F, 0o17 or 017 (octal), 0b101
 *   float  1.5, -2., 1.0e+3, .5, .inf, -.Inf, .nan  -- the exponent needs a
 *          sign and the mantissa a point, so 1e-3 stays the string "1e-3"
 * Quoted and block scalars are strings; the tags !!str, !!int, !!float,
 * !!bool and !!null force a type.  Anchors and aliases are expanded (at most
 * RAD_YAML_MAX_NODES nodes in all, so an alias bomb is an error), nesting
 * deeper than RAD_YAML_MAX_DEPTH is an error, and so are a key given twice in
 * one mapping, a key that is not a scalar and a stream of several documents.
 * Every error names the file (or the name given), line and column.
 */
#ifndef RAD_IO_YAML_H
#define RAD_IO_YAML_H

#include <stddef.h>

#define RAD_YAML_MAX_DEPTH 64
#define RAD_YAML_MAX_NODES 100000

typedef enum RadYamlType {
    RAD_YAML_NULL = 0,
    RAD_YAML_BOOL,
    RAD_YAML_INT,
    RAD_YAML_FLOAT,
    RAD_YAML_STRING,
    RAD_YAML_SEQ,
    RAD_YAML_MAP
} RadYamlType;

typedef struct RadYaml RadYaml;
struct RadYaml {
    RadYamlType type;
    int line, col;   /* 1-based position of the node in the text */
    char *text;      /* scalars: the text as written (unquoted); else NULL */
    long long i;     /* RAD_YAML_INT; RAD_YAML_BOOL: 0 or 1 */
    double f;        /* RAD_YAML_FLOAT (RAD_YAML_INT: the same value) */
    size_t n;        /* RAD_YAML_SEQ / RAD_YAML_MAP: number of items */
    RadYaml **items; /* items (mapping: the values, in document order) */
    char **keys;     /* RAD_YAML_MAP: the keys, in document order */
    int *key_line;   /* RAD_YAML_MAP: the line of each key (1-based) */
};

/* Parse text (len bytes; name is used in messages).  An empty document gives
 * a RAD_YAML_NULL node.  NULL with a message on error. */
RadYaml *rad_yaml_parse(const char *text, size_t len, const char *name);

/* Read and parse the file at path. */
RadYaml *rad_yaml_read(const char *path);

void rad_yaml_free(RadYaml *y);

/* The value of key in a mapping, or NULL. */
const RadYaml *rad_yaml_get(const RadYaml *map, const char *key);

/* "null", "bool", "int", "float", "string", "sequence", "mapping". */
const char *rad_yaml_type_name(RadYamlType t);

#endif
