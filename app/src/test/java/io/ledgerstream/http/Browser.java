package io.ledgerstream.http;

import io.ledgerstream.testing.TargetDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver, both named by path so that Selenium Manager never
 * runs (it would try to download a browser), with the switches this closed network needs.
 */
final class Browser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Why no browser can be had here, or empty when one can. */
  static Optional<String> unavailable() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      return Optional.of("no browser: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed "
          + "(apt-get install -y chromium chromium-driver; .ci/run installs them)");
    }
    return Optional.empty();
  }

  static Browser start(String name) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + TargetDirs.fresh("chromium/" + name).toAbsolutePath(), "--window-size=1280,900",
        "--lang=en-GB");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(TargetDirs.fresh("chromium/" + name + "-driver-log").resolve("chromedriver.log").toFile())
        .build();
    return new Browser(new ChromeDriver(service, options));
  }

  WebDriverWait waiting(Duration timeout) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(50));
  }

  WebDriver.Navigation navigate() {
    return driver.navigate();
  }

  /** Lays the page out at this width, as a phone or a desktop browser would. */
  void width(int width) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", 900,
        "deviceScaleFactor", 1, "mobile", width < 600));
  }

  /** How wide the page's content is; wider than the viewport means a sideways scroll. */
  long scrollWidth() {
    return ((Number) driver.executeScript("return document.documentElement.scrollWidth")).longValue();
  }

  /** A picture of the whole page, not only what fits the viewport, written to {@code file}. */
  @SuppressWarnings("unchecked")
  void screenshot(Path file) throws IOException {
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
    double width = ((Number) size.get("width")).doubleValue();
    double height = Math.min(((Number) size.get("height")).doubleValue(), 8000);
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
        "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
