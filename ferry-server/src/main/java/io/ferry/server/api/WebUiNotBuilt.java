package io.ferry.server.api;

import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What {@code /} answers when the server was built without its web UI ({@code
 * -Dferry.web.skip=true}: ferry-web's jar holds no {@code static/index.html}): 404 with a page, in
 * English and Chinese, saying that the UI was not built and pointing to the REST API, which works
 * all the same. Present only then; with the UI, Spring Boot's welcome page serves the index. Not
 * part of the API, so not in its OpenAPI document.
 */
@Hidden
@RestController
@Conditional(WebUiNotBuilt.IndexMissing.class)
class WebUiNotBuilt {
  /** The web UI's entry page, where ferry-web's build puts it. */
  static final String INDEX = "classpath:static/index.html";

  private static final Logger LOG = LoggerFactory.getLogger(WebUiNotBuilt.class);

  private final String page;

  WebUiNotBuilt() {
    try (InputStream in = WebUiNotBuilt.class.getResourceAsStream("web-ui-not-built.html")) {
      page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LOG.warn(
        "The web UI was not built (the class path has no static/index.html): / answers with a"
            + " page saying so; the REST API works");
  }

  @GetMapping("/")
  ResponseEntity<String> page() {
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
        .body(page);
  }

  /** True when the class path holds no web UI. */
  static final class IndexMissing implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return !context.getResourceLoader().getResource(INDEX).exists();
    }
  }
}
