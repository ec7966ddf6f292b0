package io.merit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Loading: the bundled library, its version, the ABI check. */
class LibraryTest {
  @Test
  void theLoadedLibraryHasTheAbiAndVersionOfThisBinding() {
    assertEquals(Merit.ABI_VERSION, Merit.abiVersion());
    // The pom passes its own version: the bundled library must be the same release.
    assertEquals(System.getProperty("merit.expected.version"), Merit.version());
  }

  @Test
  void withoutAnOverrideTheCopyBundledInTheJarIsLoaded() throws IOException {
    assumeTrue(System.getenv("MERIT_LIBRARY_PATH") == null && System.getProperty("merit.library.path") == null,
               "MERIT_LIBRARY_PATH or merit.library.path set: the override is loaded instead");
    byte[] bundled;
    try (InputStream in = Merit.class.getResourceAsStream(Merit.BUNDLED)) {
      assertNotNull(in, Merit.BUNDLED);
      bundled = in.readAllBytes();
    }
    // From a jar JNA extracts the resource to a temporary file; from a class directory
    // it loads the file in place. Either way the loaded file is the bundled library.
    assertArrayEquals(bundled, Files.readAllBytes(Path.of(Merit.libraryPath())), Merit.libraryPath());
  }

  @Test
  void aLibraryOfAnotherAbiIsRefused() {
    UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> Merit.checkAbi(2, "/x/libmerit.so.2"));
    assertEquals("merit: /x/libmerit.so.2 has ABI version 2; this merit for Java needs 1 (libmerit.so.1)",
                 e.getMessage());
    assertDoesNotThrow(() -> Merit.checkAbi(Merit.ABI_VERSION, "/x/libmerit.so.1"));
  }
}
