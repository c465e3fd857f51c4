{
  "targets": [
    {
      "target_name": "cef",
      "sources": ["cef.c"],
      "cflags": ["-O2", "-Wall"]
    }
  ]
}
