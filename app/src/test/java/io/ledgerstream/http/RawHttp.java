package io.ledgerstream.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HTTP/1.1 over a bare socket, byte for byte as given, so a test can send what no well-behaved client would: raw
 * paths, broken escapes, odd headers. Every request asks the server to close the connection after its answer.
 */
final class RawHttp {

  /** What came back: the status, or -1 when the server closed without a status line, and everything after it. */
  record Answer(int status, String raw) {
  }

  private final int port;
  private final int timeoutMillis;

  RawHttp(int port, int timeoutMillis) {
    this.port = port;
    this.timeoutMillis = timeoutMillis;
  }

  Answer send(String method, String target, List<String> headers, byte[] body) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.write((method + " " + target + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n")
        .getBytes(StandardCharsets.UTF_8));
    for (String header : headers) {
      request.write((header + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    request.write("\r\n".getBytes(StandardCharsets.UTF_8));
    request.write(body);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(request.toByteArray());
      out.flush();
      String raw = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
      return new Answer(status(raw), raw);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        answer.write(buffer, 0, read);
      }
    } catch (java.net.SocketException reset) {
      // a server may reset a connection whose request it refused; what arrived before counts
    }
    return answer.toByteArray();
  }

  private static int status(String raw) {
    if (!raw.startsWith("HTTP/1.1 ") || raw.length() < 12) {
      return -1;
    }
    return Integer.parseInt(raw.substring(9, 12));
  }
}
