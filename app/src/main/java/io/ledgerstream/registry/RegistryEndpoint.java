package io.ledgerstream.registry;

import static io.ledgerstream.registry.SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE;
import static io.ledgerstream.registry.SchemaRegistryConfig.BASIC_AUTH_USER_INFO;
import static io.ledgerstream.registry.SchemaRegistryConfig.BEARER_AUTH_CREDENTIALS_SOURCE;
import static io.ledgerstream.registry.SchemaRegistryConfig.BEARER_AUTH_TOKEN;
import static io.ledgerstream.registry.SchemaRegistryConfig.LEGACY_BASIC_AUTH_USER_INFO;
import static io.ledgerstream.registry.SchemaRegistryConfig.URL;
import static io.ledgerstream.registry.SchemaRegistryConfig.string;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/** One registry base URL, without credentials, and the Authorization header to send it. */
record RegistryEndpoint(String baseUrl, Optional<String> authorization) {

  URI resolve(String path) {
    return URI.create(baseUrl + path);
  }

  /** Reads {@code schema.registry.url} and the auth keys the way Confluent's client does. */
  static List<RegistryEndpoint> fromConfigs(Map<String, ?> configs) {
    String urls = string(configs, URL);
    if (urls == null) {
      throw new ConfigException(URL + " is required");
    }
    Optional<String> shared = sharedAuthorization(configs);
    boolean fromUrl = shared.isEmpty() && !"USER_INFO".equalsIgnoreCase(string(configs, BASIC_AUTH_CREDENTIALS_SOURCE));
    List<RegistryEndpoint> endpoints = new ArrayList<>();
    for (String url : urls.split(",")) {
      if (!url.isBlank()) {
        endpoints.add(parse(url.trim(), shared, fromUrl));
      }
    }
    if (endpoints.isEmpty()) {
      throw new ConfigException(URL, urls, "no URL given");
    }
    return List.copyOf(endpoints);
  }

  private static RegistryEndpoint parse(String url, Optional<String> shared, boolean fromUrl) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException(URL, url, "not a URL: " + e.getMessage());
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
        || uri.getHost() == null) {
      throw new ConfigException(URL, url, "expected http://host:port[/path] or https://...");
    }
    String base = url;
    Optional<String> authorization = shared;
    if (uri.getRawUserInfo() != null) {
      base = url.replaceFirst(java.util.regex.Pattern.quote(uri.getRawUserInfo() + "@"), "");
      if (fromUrl) {
        authorization = Optional.of(basic(uri.getUserInfo()));
      }
    }
    return new RegistryEndpoint(base.replaceAll("/+$", ""), authorization);
  }

  private static Optional<String> sharedAuthorization(Map<String, ?> configs) {
    String basicSource = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE);
    String bearerSource = string(configs, BEARER_AUTH_CREDENTIALS_SOURCE);
    if (basicSource != null && bearerSource != null) {
      throw new ConfigException("Only one of '" + BASIC_AUTH_CREDENTIALS_SOURCE + "' and '"
          + BEARER_AUTH_CREDENTIALS_SOURCE + "' may be specified");
    }
    if (bearerSource != null && !bearerSource.equalsIgnoreCase("STATIC_TOKEN")) {
      throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE, bearerSource, "only STATIC_TOKEN is supported");
    }
    if (basicSource != null && !basicSource.equalsIgnoreCase("URL") && !basicSource.equalsIgnoreCase("USER_INFO")) {
      throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, basicSource, "only URL and USER_INFO are supported");
    }
    String token = string(configs, BEARER_AUTH_TOKEN);
    if (bearerSource != null || (basicSource == null && token != null)) {
      if (token == null) {
        throw new ConfigException(BEARER_AUTH_TOKEN + " is required when " + BEARER_AUTH_CREDENTIALS_SOURCE + " is set");
      }
      return Optional.of("Bearer " + token);
    }
    String userInfo = Optional.ofNullable(string(configs, BASIC_AUTH_USER_INFO))
        .orElse(string(configs, LEGACY_BASIC_AUTH_USER_INFO));
    if ("USER_INFO".equalsIgnoreCase(basicSource) && userInfo == null) {
      throw new ConfigException(BASIC_AUTH_USER_INFO + " is required when " + BASIC_AUTH_CREDENTIALS_SOURCE + " is USER_INFO");
    }
    if (userInfo != null && !"URL".equalsIgnoreCase(basicSource)) {
      if (!userInfo.contains(":")) {
        throw new ConfigException(BASIC_AUTH_USER_INFO, "(hidden)", "expected user:password");
      }
      return Optional.of(basic(userInfo));
    }
    return Optional.empty();
  }

  private static String basic(String userInfo) {
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }
}
