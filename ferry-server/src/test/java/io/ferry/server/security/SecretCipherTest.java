package io.ferry.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.server.shared.FerryProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class SecretCipherTest {
  private final Path dir = Path.of("target", "cipher-" + UUID.randomUUID());

  @Test
  void roundTripsWithAFreshNonceEachTime() {
    SecretCipher cipher = new SecretCipher(new byte[32]);
    String a = cipher.encrypt("pa55w0rd");
    String b = cipher.encrypt("pa55w0rd");
    assertThat(a).startsWith("enc:v1:").doesNotContain("pa55w0rd").isNotEqualTo(b);
    assertThat(cipher.decrypt(a)).isEqualTo("pa55w0rd");
    assertThat(cipher.decrypt(b)).isEqualTo("pa55w0rd");
  }

  @Test
  void refusesTamperedDataAndAnotherKeyWithoutShowingTheValue() {
    SecretCipher cipher = new SecretCipher(new byte[32]);
    String sealed = cipher.encrypt("pa55w0rd");
    byte[] raw = Base64.getDecoder().decode(sealed.substring("enc:v1:".length()));
    raw[raw.length - 1] ^= 1;
    String tampered = "enc:v1:" + Base64.getEncoder().encodeToString(raw);
    assertThatThrownBy(() -> cipher.decrypt(tampered))
        .hasMessageContaining("cannot be decrypted")
        .hasMessageNotContaining("pa55w0rd");
    byte[] other = new byte[32];
    other[0] = 1;
    assertThatThrownBy(() -> new SecretCipher(other).decrypt(sealed))
        .hasMessageContaining("secret key changed");
  }

  @Test
  void aRotationOpensWhatThePreviousKeySealedAndSealsItAgainWithTheNewKey() {
    byte[] oldKey = new byte[32];
    byte[] newKey = new byte[32];
    newKey[0] = 9;
    String sealedOld = new SecretCipher(oldKey).encrypt("pa55w0rd");
    SecretCipher rotating = new SecretCipher(newKey, oldKey);
    assertThat(rotating.decrypt(sealedOld)).isEqualTo("pa55w0rd");
    String resealed = rotating.reseal(sealedOld).orElseThrow();
    assertThat(new SecretCipher(newKey).decrypt(resealed)).isEqualTo("pa55w0rd");
    assertThat(rotating.reseal(resealed)).as("already under the new key").isEmpty();
    assertThatThrownBy(() -> new SecretCipher(oldKey).decrypt(resealed))
        .hasMessageContaining("cannot be decrypted");
    assertThat(new SecretCipher(newKey).reseal(sealedOld))
        .as("no rotation, nothing to do")
        .isEmpty();
  }

  @Test
  void createsAnOwnerOnlyKeyFileOnceAndReusesIt() throws Exception {
    FerryProperties properties =
        new FerryProperties(dir, null, null, null, null, null, null, null, null, null, null, null);
    SecretCipher first = new SecretCipher(new MockEnvironment(), properties);
    Path key = dir.resolve("secret.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    String sealed = first.encrypt("x");
    SecretCipher second = new SecretCipher(new MockEnvironment(), properties);
    assertThat(second.decrypt(sealed)).isEqualTo("x");
  }

  @Test
  void takesTheKeyFromTheEnvironmentWhenGiven() {
    byte[] key = new byte[32];
    key[5] = 7;
    MockEnvironment env =
        new MockEnvironment()
            .withProperty("ferry.secret.key", Base64.getEncoder().encodeToString(key));
    SecretCipher cipher =
        new SecretCipher(
            env,
            new FerryProperties(
                dir, null, null, null, null, null, null, null, null, null, null, null));
    assertThat(new SecretCipher(key).decrypt(cipher.encrypt("y"))).isEqualTo("y");
    assertThat(dir.resolve("secret.key")).doesNotExist();
  }
}
