package io.ferry.connector.hdfs;

import static java.util.Objects.requireNonNull;

import com.github.luben.zstd.ZstdOutputStream;
import io.ferry.connector.file.TextRowWriter;
import io.ferry.connector.file.TextSinkFormat;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.compress.SnappyCodec;

/**
 * A text file written by the file connector's {@link TextSinkFormat}: csv, tsv or jsonl, gzip and
 * bzip2 by the file connector's codecs, snappy by Hadoop's codec (the block framing Hive's
 * SnappyCodec reads) and zstd as one standard zstd frame (what {@code .zst} files hold).
 */
final class TextFileWriter implements RowFileWriter {
  private final OutputStream raw;
  private final TextRowWriter rows;

  private TextFileWriter(OutputStream raw, TextRowWriter rows) {
    this.raw = raw;
    this.rows = rows;
  }

  /** The factory of text files of {@code schema}, each with a header when the format has one. */
  static Factory factory(
      FileSystem fs,
      Configuration conf,
      TextSinkFormat format,
      HdfsCompression compression,
      Schema schema,
      DirtyRowSink dirtyRows) {
    requireNonNull(format, "format is null");
    return (file, name) -> {
      OutputStream raw = fs.create(file, true);
      try {
        OutputStream out = wrap(raw, compression, conf);
        return new TextFileWriter(
            raw, format.open(out, schema, compression.textCodec(), true, name, dirtyRows));
      } catch (IOException | RuntimeException e) {
        raw.close();
        throw e;
      }
    };
  }

  private static OutputStream wrap(
      OutputStream raw, HdfsCompression compression, Configuration conf) throws IOException {
    return switch (compression) {
      case SNAPPY -> {
        SnappyCodec codec = new SnappyCodec();
        codec.setConf(conf);
        yield codec.createOutputStream(raw);
      }
      case ZSTD -> new ZstdOutputStream(raw);
      default -> raw;
    };
  }

  @Override
  public void write(RowBatch batch) throws IOException {
    rows.write(batch);
  }

  @Override
  public void flush() throws IOException {
    rows.flush();
  }

  @Override
  public void finish() throws IOException {
    rows.finish();
  }

  @Override
  public void abandon() {
    try {
      raw.close();
    } catch (IOException | RuntimeException e) {
      // the file is incomplete and will be deleted; nothing to save
    }
  }
}
