package io.ledgerstream.registry;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of one byte array in a single pass, refusing any declared length or item count larger than
 * the bytes left, so a corrupt length fails at once instead of making the reader allocate gigabytes.
 *
 * <p>Every item of an array or map takes at least one byte in the schemas this serde reads; an array of zero-byte
 * items (nulls, empty records) longer than the bytes left is refused too. Not thread-safe: one per thread, reset per
 * record.
 */
final class BoundedDecoder extends Decoder {

  private byte[] bytes = new byte[0];
  private int position;
  private int end;

  /** Decodes {@code length} bytes of {@code data} from {@code offset}. */
  BoundedDecoder reset(byte[] data, int offset, int length) {
    this.bytes = data;
    this.position = offset;
    this.end = offset + length;
    return this;
  }

  /** Bytes not read yet. */
  int remaining() {
    return end - position;
  }

  @Override
  public void readNull() {
  }

  @Override
  public boolean readBoolean() throws IOException {
    require(1);
    return bytes[position++] == 1;
  }

  @Override
  public int readInt() throws IOException {
    long value = readVarint(5);
    if (value != (int) value) {
      throw new IOException("Invalid int: " + value + " does not fit in 32 bits");
    }
    return (int) value;
  }

  @Override
  public long readLong() throws IOException {
    return readVarint(10);
  }

  /** A zig-zag varint of at most {@code maxBytes} bytes. */
  private long readVarint(int maxBytes) throws IOException {
    long raw = 0;
    for (int shift = 0, read = 0; read < maxBytes; shift += 7, read++) {
      require(1);
      int b = bytes[position++] & 0xff;
      raw |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new IOException("Invalid varint: longer than " + maxBytes + " bytes");
  }

  @Override
  public float readFloat() throws IOException {
    return Float.intBitsToFloat((int) readLittleEndian(4));
  }

  @Override
  public double readDouble() throws IOException {
    return Double.longBitsToDouble(readLittleEndian(8));
  }

  private long readLittleEndian(int size) throws IOException {
    require(size);
    long value = 0;
    for (int i = 0; i < size; i++) {
      value |= (long) (bytes[position++] & 0xff) << (8 * i);
    }
    return value;
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = length();
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(length);
    System.arraycopy(bytes, position, result.getBytes(), 0, length);
    position += length;
    return result;
  }

  @Override
  public String readString() throws IOException {
    int length = length();
    String value = new String(bytes, position, length, StandardCharsets.UTF_8);
    position += length;
    return value;
  }

  @Override
  public void skipString() throws IOException {
    // read the length first: `position += length()` would add it to the position from before the length was read
    int length = length();
    position += length;
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int length = length();
    ByteBuffer result = old != null && old.capacity() >= length ? old.clear() : ByteBuffer.allocate(length);
    result.put(bytes, position, length).flip();
    position += length;
    return result;
  }

  @Override
  public void skipBytes() throws IOException {
    int length = length();
    position += length;
  }

  @Override
  public void readFixed(byte[] target, int start, int length) throws IOException {
    require(length);
    System.arraycopy(bytes, position, target, start, length);
    position += length;
  }

  @Override
  public void skipFixed(int length) throws IOException {
    require(length);
    position += length;
  }

  @Override
  public int readEnum() throws IOException {
    return readInt();
  }

  @Override
  public int readIndex() throws IOException {
    return readInt();
  }

  @Override
  public long readArrayStart() throws IOException {
    return itemCount();
  }

  @Override
  public long arrayNext() throws IOException {
    return itemCount();
  }

  @Override
  public long readMapStart() throws IOException {
    return itemCount();
  }

  @Override
  public long mapNext() throws IOException {
    return itemCount();
  }

  @Override
  public long skipArray() throws IOException {
    return skipBlocks();
  }

  @Override
  public long skipMap() throws IOException {
    return skipBlocks();
  }

  /** The next block's item count; a negative count is followed by the block's size in bytes, which reading ignores. */
  private long itemCount() throws IOException {
    long count = readLong();
    if (count < 0) {
      readLong();
      count = -count;
    }
    if (count > remaining()) {
      throw new EOFException("a block of " + count + " items in " + remaining() + " bytes");
    }
    return count;
  }

  /** Skips blocks that declare their size; returns the item count of the first block that does not, or 0 at the end. */
  private long skipBlocks() throws IOException {
    long count = readLong();
    while (count < 0) {
      long size = readLong();
      if (size < 0 || size > remaining()) {
        throw new EOFException("a block of " + size + " bytes in " + remaining());
      }
      position += (int) size;
      count = readLong();
    }
    if (count > remaining()) {
      throw new EOFException("a block of " + count + " items in " + remaining() + " bytes");
    }
    return count;
  }

  /** A string's or bytes' declared length, checked against the bytes left. */
  private int length() throws IOException {
    long length = readLong();
    if (length < 0) {
      throw new IOException("Negative length " + length);
    }
    require(length);
    return (int) length;
  }

  private void require(long count) throws EOFException {
    if (count > end - position) {
      throw new EOFException("needs " + count + " more bytes, " + (end - position) + " left");
    }
  }
}
