package io.merit;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.File;
import java.io.IOException;
import java.util.Map;

/**
 * The native library: where it was loaded from, its version, its ABI.
 *
 * <p>libmerit is loaded once, at the first use of any class of this package:
 * <ol>
 *   <li>from the file named by the system property {@code merit.library.path}, or else
 *       the environment variable {@code MERIT_LIBRARY_PATH} (the path of
 *       {@code libmerit.so.1}, or a directory holding it), when one is set;</li>
 *   <li>otherwise from the copy bundled in this jar
 *       ({@code io/merit/native/linux-x86-64/libmerit.so.1}), which JNA extracts to a
 *       temporary file.</li>
 * </ol>
 * Then {@code merit_abi_version()} must equal {@link #ABI_VERSION}; a library of another
 * ABI is refused with an {@link UnsatisfiedLinkError} before any other function is called.
 */
public final class Merit {
  private Merit() {}

  /** The ABI this binding is written for: libmerit.so.1's MERIT_ABI_VERSION. */
  public static final int ABI_VERSION = 1;

  /** Where the bundled library sits in the jar, for the running platform. */
  static final String BUNDLED = "/io/merit/native/" + Platform.RESOURCE_PREFIX + "/libmerit.so.1";

  /** Loaded on first use (the holder idiom: thread-safe, once). */
  private static final class Holder {
    static final String PATH = locate();
    static final LibMerit LIB = load(PATH);
  }

  static LibMerit lib() {
    return Holder.LIB;
  }

  /** The file the library was loaded from (the extracted temporary file for the bundled copy). */
  public static String libraryPath() {
    return Holder.PATH;
  }

  /** The library's version, e.g. "0.2.0". */
  public static String version() {
    return lib().merit_version();
  }

  /** The loaded library's ABI version (equal to {@link #ABI_VERSION}, or it would not have loaded). */
  public static int abiVersion() {
    return lib().merit_abi_version();
  }

  private static String locate() {
    String where = System.getProperty("merit.library.path");
    if (where == null || where.isEmpty()) where = System.getenv("MERIT_LIBRARY_PATH");
    if (where != null && !where.isEmpty()) {
      File f = new File(where);
      if (f.isDirectory()) f = new File(f, "libmerit.so.1");
      if (!f.isFile()) throw new UnsatisfiedLinkError("merit: no libmerit at " + f + " (merit.library.path / MERIT_LIBRARY_PATH)");
      return f.getAbsolutePath();
    }
    if (Merit.class.getResource(BUNDLED) == null)
      throw new UnsatisfiedLinkError("merit: this jar bundles no libmerit for " + Platform.RESOURCE_PREFIX
                                     + " (it has linux-x86-64); set MERIT_LIBRARY_PATH to a libmerit.so.1 built for it");
    try {
      return Native.extractFromResourcePath(BUNDLED, Merit.class.getClassLoader()).getAbsolutePath();
    } catch (IOException e) {
      UnsatisfiedLinkError error = new UnsatisfiedLinkError("merit: could not extract " + BUNDLED + ": " + e.getMessage());
      error.initCause(e);
      throw error;
    }
  }

  private static LibMerit load(String path) {
    LibMerit lib = Native.load(path, LibMerit.class, Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
    checkAbi(lib.merit_abi_version(), path);
    return lib;
  }

  /** Refuses a library whose ABI is not the one this binding declares. */
  static void checkAbi(int found, String path) {
    if (found != ABI_VERSION)
      throw new UnsatisfiedLinkError("merit: " + path + " has ABI version " + found + "; this merit for Java needs "
                                     + ABI_VERSION + " (libmerit.so." + ABI_VERSION + ")");
  }
}
