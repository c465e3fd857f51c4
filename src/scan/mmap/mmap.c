/*
 * map(fd, size): a read-only, private, pre-faulted (MAP_POPULATE) mapping of an open file as a Buffer.
 * Why: on this kind of VM every first touch of fresh anonymous memory traps (a 256 MiB read into a new
 * buffer cost 0.6-0.9 s of CPU, a second read into the same buffer 0.07 s), while mapping the file's
 * page-cache pages in one MAP_POPULATE call costs ~0.02 s and copies nothing. The mapping is released
 * (munmap) when the Buffer is garbage-collected; its size is reported to V8 as external memory so the
 * collector runs often enough. A file truncated while mapped raises SIGBUS on access: callers use it
 * only in a worker process the pool can lose (crash isolation).
 *
 * share(fd, size): a shared read-write mapping of a small file (a worker's progress file, already sized
 * by the pool), so each progress change is a store into memory instead of a pwrite (~3 us of CPU each,
 * two or three per job).
 *
 * digest(bytes, name): a Promise of the hex MD5, SHA-1 or SHA-256 of a Uint8Array, computed on a libuv
 * thread-pool thread with Node's own OpenSSL (the same code as createHash) over the caller's bytes: no
 * copy (WebCrypto's digest copies its input first: fresh memory, which costs more here than the hash).
 * A matched 256 MiB object needs all three digests, 0.73 s one after the other on the scan's thread
 * (MD5 alone 0.4 s); on three threads they take as long as the slowest. The caller must not change
 * the bytes before the Promise settles; they stay referenced until then.
 */
#define NAPI_VERSION 8
#include <errno.h>
#include <node_api.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void unmap(napi_env env, void *data, void *hint) {
  size_t len = (size_t)(uintptr_t)hint;
  munmap(data, len);
  int64_t total;
  napi_adjust_external_memory(env, -(int64_t)len, &total);
}

static napi_value fail(napi_env env, const char *code, const char *message) {
  napi_throw_error(env, code, message);
  return NULL;
}

/* The mapping of (fd, size) with `prot` and `flags`, as a Buffer released when collected. */
static napi_value map_as_buffer(napi_env env, napi_callback_info info, int prot, int flags) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2)
    return fail(env, "EINVAL", "map(fd, size): two arguments expected");
  int32_t fd;
  int64_t size;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_int64(env, argv[1], &size) != napi_ok ||
      size <= 0)
    return fail(env, "EINVAL", "map(fd, size): a file descriptor and a size > 0 expected");
  void *addr = mmap(NULL, (size_t)size, prot, flags, fd, 0);
  if (addr == MAP_FAILED) {
    int err = errno;
    return fail(env, err == ENOMEM ? "ENOMEM" : "EMAP", strerror(err));
  }
  napi_value buf;
  if (napi_create_external_buffer(env, (size_t)size, addr, unmap, (void *)(uintptr_t)size, &buf) != napi_ok) {
    munmap(addr, (size_t)size);
    return fail(env, "EMAP", "could not wrap the mapping in a Buffer");
  }
  int64_t total;
  napi_adjust_external_memory(env, size, &total);
  return buf;
}

static napi_value map_file(napi_env env, napi_callback_info info) {
  return map_as_buffer(env, info, PROT_READ, MAP_PRIVATE | MAP_POPULATE);
}

static napi_value share_file(napi_env env, napi_callback_info info) {
  return map_as_buffer(env, info, PROT_READ | PROT_WRITE, MAP_SHARED);
}

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref bytes; /* keeps the caller's buffer alive while a thread reads it */
  const uint8_t *data;
  size_t length;
  const EVP_MD *md;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_length;
  int ok;
} DigestJob;

/* On a thread-pool thread: no JavaScript here. */
static void digest_execute(napi_env env, void *arg) {
  DigestJob *job = arg;
  job->ok = EVP_Digest(job->data, job->length, job->out, &job->out_length, job->md, NULL);
}

static void digest_complete(napi_env env, napi_status status, void *arg) {
  DigestJob *job = arg;
  napi_value value;
  if (status == napi_ok && job->ok) {
    static const char hex[] = "0123456789abcdef";
    char text[2 * EVP_MAX_MD_SIZE];
    for (unsigned int i = 0; i < job->out_length; i++) {
      text[2 * i] = hex[job->out[i] >> 4];
      text[2 * i + 1] = hex[job->out[i] & 15];
    }
    napi_create_string_latin1(env, text, 2 * job->out_length, &value);
    napi_resolve_deferred(env, job->deferred, value);
  } else {
    napi_value message;
    napi_create_string_utf8(env, "digest failed", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &value);
    napi_reject_deferred(env, job->deferred, value);
  }
  napi_delete_reference(env, job->bytes);
  napi_delete_async_work(env, job->work);
  free(job);
}

static const EVP_MD *digest_named(const char *name) {
  if (strcmp(name, "md5") == 0) return EVP_md5();
  if (strcmp(name, "sha1") == 0) return EVP_sha1();
  if (strcmp(name, "sha256") == 0) return EVP_sha256();
  return NULL;
}

static napi_value digest(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  bool typed = false;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_is_typedarray(env, argv[0], &typed) != napi_ok || !typed)
    return fail(env, "EINVAL", "digest(bytes, name): a Uint8Array and an algorithm name expected");
  char name[16];
  size_t name_length;
  const EVP_MD *md = NULL;
  if (napi_get_value_string_utf8(env, argv[1], name, sizeof name, &name_length) == napi_ok) md = digest_named(name);
  if (!md) return fail(env, "EINVAL", "digest(bytes, name): name is md5, sha1 or sha256");
  DigestJob *job = calloc(1, sizeof *job);
  if (!job) return fail(env, "ENOMEM", "digest: out of memory");
  napi_typedarray_type type;
  void *data;
  napi_value promise, resource_name;
  job->md = md;
  if (napi_get_typedarray_info(env, argv[0], &type, &job->length, &data, NULL, NULL) != napi_ok ||
      type != napi_uint8_array) {
    free(job);
    return fail(env, "EINVAL", "digest(bytes, name): a Uint8Array expected");
  }
  job->data = data;
  napi_create_string_utf8(env, "telltale-digest", NAPI_AUTO_LENGTH, &resource_name);
  if (napi_create_promise(env, &job->deferred, &promise) != napi_ok ||
      napi_create_reference(env, argv[0], 1, &job->bytes) != napi_ok ||
      napi_create_async_work(env, NULL, resource_name, digest_execute, digest_complete, job, &job->work) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok)
    return fail(env, "EDIGEST", "digest: could not queue the work"); /* not reached in practice */
  return promise;
}

static int export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  return napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn) == napi_ok &&
         napi_set_named_property(env, exports, name, fn) == napi_ok;
}

NAPI_MODULE_INIT() {
  if (!export_fn(env, exports, "map", map_file) || !export_fn(env, exports, "share", share_file) ||
      !export_fn(env, exports, "digest", digest))
    return NULL;
  return exports;
}
