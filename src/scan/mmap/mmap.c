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
 */
#define NAPI_VERSION 8
#include <errno.h>
#include <node_api.h>
#include <stdint.h>
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

static int export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  return napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn) == napi_ok &&
         napi_set_named_property(env, exports, name, fn) == napi_ok;
}

NAPI_MODULE_INIT() {
  if (!export_fn(env, exports, "map", map_file) || !export_fn(env, exports, "share", share_file)) return NULL;
  return exports;
}
