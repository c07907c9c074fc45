import CNcursesw

#if canImport(Glibc)
  import Glibc
#endif

/// Block characters need a UTF-8 locale; a bare machine often has only `C`, so fall back to `C.UTF-8`.
enum CursesLocale {
  static func ensureUTF8() {
    setlocale(LC_ALL, "")
    if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) == "UTF-8" { return }
    setlocale(LC_CTYPE, "C.UTF-8")
  }
}
