/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file gguf.h
 * @brief A strict, zero-copy reader for GGUF version 3 model files.
 *
 * gguf_parse() validates a complete GGUF image that is already in memory
 * (a private buffer or a read-only CSM mapping) and indexes its metadata
 * and tensors.  Nothing is copied: strings, arrays and tensor data are
 * pointers into the image, which must outlive the parsed file.  The image
 * is never written, so a read-only mapping is fine.
 *
 * Validation is strict and overflow-safe: the magic and version, every
 * count, string length and array length against the bytes that remain;
 * value types; duplicate keys and tensor names; tensor ranks, dimensions
 * and element counts; tensor types (only the types the engine computes
 * with: F32, F16, Q8_0); that each tensor's data starts at an aligned
 * offset and lies wholly inside the file; and that no two tensors overlap.
 * Every failure has its own error code (enum gguf_err) and a message that
 * names the offending key or tensor and the file offset.
 *
 * Supported subset: GGUF v3, little-endian; arrays of scalars or strings
 * (arrays of arrays are rejected); at most GGUF_MAX_DIMS dimensions.
 */
#ifndef CAEC_LLM_GGUF_H
#define CAEC_LLM_GGUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GGUF_MAGIC 0x46554747u /* "GGUF" read as a little-endian u32 */
#define GGUF_VERSION 3u
#define GGUF_DEFAULT_ALIGNMENT 32u
/** Limits that reject absurd files before any allocation. */
#define GGUF_MAX_DIMS 4u
#define GGUF_MAX_TENSORS 65536u
#define GGUF_MAX_KV 65536u
#define GGUF_MAX_KEY_LEN 65535u
#define GGUF_MAX_ALIGNMENT 65536u

/** Metadata value types (GGUF spec). */
enum gguf_type {
	GGUF_TYPE_UINT8 = 0,
	GGUF_TYPE_INT8 = 1,
	GGUF_TYPE_UINT16 = 2,
	GGUF_TYPE_INT16 = 3,
	GGUF_TYPE_UINT32 = 4,
	GGUF_TYPE_INT32 = 5,
	GGUF_TYPE_FLOAT32 = 6,
	GGUF_TYPE_BOOL = 7,
	GGUF_TYPE_STRING = 8,
	GGUF_TYPE_ARRAY = 9,
	GGUF_TYPE_UINT64 = 10,
	GGUF_TYPE_INT64 = 11,
	GGUF_TYPE_FLOAT64 = 12,
	GGUF_TYPE_COUNT
};

/** Tensor element types (ggml numbering); only these three are accepted. */
enum ggml_type {
	GGML_TYPE_F32 = 0,
	GGML_TYPE_F16 = 1,
	GGML_TYPE_Q8_0 = 8,
};

/** Elements per q8_0 block, and bytes per block (f16 scale + 32 int8). */
#define QK8_0 32u
#define Q8_0_BLOCK_BYTES 34u

/** Parse failures.  Each is a distinct condition. */
enum gguf_err {
	GGUF_OK = 0,
	GGUF_E_INVAL = -1,        /**< NULL argument */
	GGUF_E_TRUNCATED = -2,    /**< the file ends inside a header field */
	GGUF_E_MAGIC = -3,        /**< not a GGUF file */
	GGUF_E_VERSION = -4,      /**< not GGUF version 3 */
	GGUF_E_COUNT = -5,        /**< tensor or key/value count too large */
	GGUF_E_STRING = -6,       /**< string longer than the rest of the file / limit */
	GGUF_E_VALUE_TYPE = -7,   /**< unknown metadata value type */
	GGUF_E_NESTED = -8,       /**< array of arrays */
	GGUF_E_ARRAY = -9,        /**< array longer than the rest of the file */
	GGUF_E_DUP_KEY = -10,     /**< the same metadata key twice */
	GGUF_E_ALIGNMENT = -11,   /**< general.alignment bad (type, 0, not 2^n) */
	GGUF_E_NDIMS = -12,       /**< tensor rank 0 or > GGUF_MAX_DIMS */
	GGUF_E_DIM = -13,         /**< a dimension is 0 or the element count overflows */
	GGUF_E_TENSOR_TYPE = -14, /**< tensor type not F32/F16/Q8_0 */
	GGUF_E_BLOCK = -15,       /**< row length not a multiple of the block size */
	GGUF_E_DUP_TENSOR = -16,  /**< the same tensor name twice */
	GGUF_E_OFFSET = -17,      /**< tensor data offset not aligned */
	GGUF_E_BOUNDS = -18,      /**< tensor data outside the file */
	GGUF_E_OVERLAP = -19,     /**< two tensors' data overlap */
	GGUF_E_NOMEM = -20,       /**< out of memory for the index */
	GGUF_E_KEY = -21,         /**< empty key or key with a NUL byte */
};

/** A length-delimited string inside the image (not NUL-terminated). */
struct gguf_str {
	const char *ptr;
	uint64_t len;
};

/** One metadata key/value pair. */
struct gguf_kv {
	struct gguf_str key;
	enum gguf_type type;
	/** For ARRAY: element type and count; data points at the first element. */
	enum gguf_type arr_type;
	uint64_t arr_len;
	/** Scalars: points at the value; STRING: at its u64 length; ARRAY: elements. */
	const uint8_t *data;
};

/** One tensor. */
struct gguf_tensor {
	struct gguf_str name;
	uint32_t n_dims;
	uint64_t ne[GGUF_MAX_DIMS]; /**< ne[0] is the contiguous dimension; unused = 1 */
	enum ggml_type type;
	uint64_t offset;            /**< relative to the data section */
	uint64_t nbytes;
	const void *data;           /**< inside the image */
};

/** A parsed file; fill with gguf_parse(), release with gguf_fini(). */
struct gguf_file {
	const uint8_t *base;
	uint64_t size;
	uint32_t version;
	uint32_t alignment;
	uint64_t n_kv;
	struct gguf_kv *kv;
	uint64_t n_tensors;
	struct gguf_tensor *tensors;
	uint64_t data_offset; /**< start of the tensor data section */
};

/** Where and why parsing failed (filled by gguf_parse() on error). */
struct gguf_error {
	int code;
	uint64_t offset;
	char msg[256];
};

/**
 * @brief Validate and index a GGUF image.
 * @param[out] f     receives the index; zeroed on failure.
 * @param[in]  data  the whole file image (read-only is fine).
 * @param[in]  size  its size in bytes.
 * @param[out] err   NULL, or receives the code, offset and message on error.
 * @returns GGUF_OK or a negative enum gguf_err.
 *
 * Context: no I/O; allocates the index with malloc.
 * Ownership: pair with gguf_fini(); pointers into the image stay valid as
 * long as the image does.
 * Concurrency: any thread; the image is only read.
 */
int gguf_parse(struct gguf_file *f, const void *data, size_t size,
	       struct gguf_error *err);

/** @brief Free the index (not the image).  f may be zeroed or NULL. */
void gguf_fini(struct gguf_file *f);

/** @brief The message for a code ("truncated file", ...). */
const char *gguf_strerror(int code);

/** @brief Find a key; NULL if absent. */
const struct gguf_kv *gguf_find_kv(const struct gguf_file *f, const char *key);
/** @brief Find a tensor by name; NULL if absent. */
const struct gguf_tensor *gguf_find_tensor(const struct gguf_file *f,
					   const char *name);

/**
 * @brief Read an integer-typed value (any signed/unsigned scalar type) as
 *        uint64.  false if the kv is NULL, not an integer, or negative.
 */
bool gguf_kv_get_u64(const struct gguf_kv *kv, uint64_t *out);
/** @brief Read a FLOAT32/FLOAT64 value as float; false otherwise. */
bool gguf_kv_get_f32(const struct gguf_kv *kv, float *out);
/** @brief Read a STRING value; false otherwise. */
bool gguf_kv_get_str(const struct gguf_kv *kv, struct gguf_str *out);

/**
 * @brief Walk a string array: *cursor starts at kv->data; each call returns
 *        the next element and advances.  The parser validated the array, so
 *        at most kv->arr_len calls succeed.
 */
struct gguf_str gguf_arr_next_str(const uint8_t **cursor);

/** @brief Bytes per element-row of type t for ne0 elements (0 if invalid). */
uint64_t gguf_row_bytes(enum ggml_type t, uint64_t ne0);

/** @brief Compare a gguf_str with a C string. */
bool gguf_str_eq(struct gguf_str s, const char *c);

#endif /* CAEC_LLM_GGUF_H */
