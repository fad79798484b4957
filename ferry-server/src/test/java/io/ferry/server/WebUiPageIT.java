package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;

/**
 * What {@code /} answers with and without the web UI on the class path; a build with {@code
 * -Dferry.web.skip=true} has none. Each server runs on the test's class path with ferry-web's
 * {@code static/} replaced, hidden or holding a stand-in page, so the test holds whether or not
 * this build made the UI.
 */
class WebUiPageIT {
  @Test
  void withoutTheUiSlashSaysSoAndTheApiWorks(@TempDir Path dir) throws Exception {
    try (TestServer server = new TestServer(classPathWithUi(null), true, dir.resolve("data"))) {
      HttpResponse<String> page =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(server.base + "/")).build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(page.statusCode()).isEqualTo(404);
      assertThat(page.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/html").contains("UTF-8"));
      assertThat(page.body())
          .contains("The web UI was not built")
          .contains("未构建 Web 界面")
          .contains("-Dferry.web.skip=true");
      TestServer.Reply connectors = server.get("/api/connectors");
      assertThat(connectors.status()).as(connectors.body()).isEqualTo(200);
      assertThat(connectors.body()).contains("\"datagen\"");
      // The page is no route of the API: its OpenAPI document (whose routes all need a login,
      // ServerApiIT) does not list it.
      assertThat(server.get("/v3/api-docs").json().get("paths").has("/")).isFalse();
    }
  }

  @Test
  void withTheUiSlashServesItsIndex(@TempDir Path dir) throws Exception {
    Path ui = Files.createDirectories(dir.resolve("ui/static"));
    Files.writeString(ui.resolve("index.html"), "<!doctype html><title>stand-in web UI</title>");
    try (TestServer server =
        new TestServer(classPathWithUi(ui.getParent()), true, dir.resolve("data"))) {
      TestServer.Reply page = server.call("GET", "/", null, null, null);

      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body()).contains("stand-in web UI").doesNotContain("not built");
    }
  }

  /** The test's class path without its {@code static/} folder, plus {@code ui} when given. */
  private static ResourceLoader classPathWithUi(Path ui) throws IOException {
    ClassLoader withoutStatic =
        new ClassLoader(WebUiPageIT.class.getClassLoader()) {
          @Override
          public URL getResource(String name) {
            return name.startsWith("static/") ? null : super.getResource(name);
          }

          @Override
          public Enumeration<URL> getResources(String name) throws IOException {
            return name.startsWith("static/")
                ? Collections.emptyEnumeration()
                : super.getResources(name);
          }
        };
    return new DefaultResourceLoader(
        ui == null
            ? withoutStatic
            : new URLClassLoader(new URL[] {ui.toUri().toURL()}, withoutStatic));
  }
}
