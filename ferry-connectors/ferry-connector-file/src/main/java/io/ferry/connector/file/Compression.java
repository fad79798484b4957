package io.ferry.connector.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * How file bytes are compressed. gzip and bzip2 both allow streams one after the other in one file,
 * which is how a sink joins the parts its writers compressed separately; a zip archive is read only
 * (its entries in order, as one text).
 */
public enum Compression {
  NONE,
  GZIP,
  BZIP2,
  /** Read only: the entries of the archive, one after the other. */
  ZIP,
  /** By the file name: {@code .gz} gzip, {@code .bz2} bzip2, {@code .zip} zip, otherwise none. */
  AUTO;

  private static final int BUFFER = 64 << 10;

  /** What a file named {@code fileName} is under this setting: never {@link #AUTO}. */
  public Compression of(String fileName) {
    if (this != AUTO) {
      return this;
    }
    if (fileName.endsWith(".gz")) {
      return GZIP;
    }
    if (fileName.endsWith(".bz2")) {
      return BZIP2;
    }
    return fileName.endsWith(".zip") ? ZIP : NONE;
  }

  /** Whether the bytes are compressed: a compressed file cannot be read from a byte offset. */
  public boolean compressed() {
    return this != NONE;
  }

  /** The option's spelling, for messages. */
  String spelling() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Compresses what is written into {@code out}; a flush pushes every byte written so far as far as
   * the format allows (gzip: a sync flush, so the bytes so far decompress; bzip2: up to the last
   * complete block). Closing ends the stream (its trailer) and closes {@code out}.
   */
  OutputStream compress(OutputStream out) throws IOException {
    return switch (this) {
      case NONE -> out;
      case GZIP -> new GZIPOutputStream(out, BUFFER, true);
      case BZIP2 -> new BZip2CompressorOutputStream(out);
      case ZIP, AUTO -> throw new IllegalStateException(this + " is not written");
    };
  }

  /**
   * The uncompressed bytes of {@code raw}: every gzip member or bzip2 stream one after the other,
   * every entry of a zip archive one after the other.
   */
  InputStream decompress(InputStream raw) throws IOException {
    return switch (this) {
      case NONE -> raw;
      case GZIP -> new GZIPInputStream(raw, BUFFER);
      case BZIP2 -> new BZip2CompressorInputStream(raw, true);
      case ZIP -> new ZipEntries(new ZipInputStream(raw));
      case AUTO -> throw new IllegalStateException("resolve auto by the file name first");
    };
  }

  /** The file entries of a zip archive as one stream, folders skipped. */
  private static final class ZipEntries extends InputStream {
    private final ZipInputStream zip;
    private boolean inEntry;

    ZipEntries(ZipInputStream zip) {
      this.zip = zip;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (true) {
        if (!inEntry) {
          ZipEntry entry = zip.getNextEntry();
          if (entry == null) {
            return -1;
          }
          inEntry = !entry.isDirectory();
          continue;
        }
        int n = zip.read(buffer, offset, length);
        if (n >= 0) {
          return n;
        }
        inEntry = false;
      }
    }

    @Override
    public void close() throws IOException {
      zip.close();
    }
  }
}
