package io.ferry.server.security;

import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets at rest with AES-256-GCM. The key comes from {@code ferry.secret.key} (env
 * {@code FERRY_SECRET_KEY}, base64 of 32 bytes) or else from {@code secret.key} in the data
 * directory, created on first start readable by its owner only. Ciphertext is {@code enc:v1:}
 * followed by base64 of a random 12-byte nonce and the sealed bytes (tag included).
 *
 * <p>Key rotation: with {@code ferry.secret.previous-key} (env {@code FERRY_SECRET_PREVIOUS_KEY})
 * set to the old key, secrets sealed with it still open, and {@link #reseal} seals them again with
 * the current key (the server does so for every stored secret at start); afterwards the old key is
 * no longer needed. GCM's tag tells which key sealed a value: a wrong key never yields a value.
 */
@Component
public class SecretCipher {
  static final String PREFIX = "enc:v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecureRandom random = new SecureRandom();
  private final SecretKey key;

  /** The key before a rotation, or null. */
  private final SecretKey previousKey;

  @Autowired
  public SecretCipher(Environment environment, FerryProperties properties) {
    this(
        loadKey(environment.getProperty("ferry.secret.key"), properties.dataDir()),
        decodeKey(
            environment.getProperty("ferry.secret.previous-key"), "FERRY_SECRET_PREVIOUS_KEY"));
  }

  SecretCipher(byte[] key) {
    this(key, null);
  }

  /**
   * @param previousKey the key before a rotation, or null
   */
  SecretCipher(byte[] key, byte[] previousKey) {
    this.key = aesKey(key);
    this.previousKey = previousKey == null ? null : aesKey(previousKey);
  }

  private static SecretKey aesKey(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("the secret key must be 32 bytes, got " + key.length);
    }
    return new SecretKeySpec(key, "AES");
  }

  /** The key of a setting in base64, or null when it is not set. */
  private static byte[] decodeKey(String configured, String variable) {
    if (configured == null || configured.isBlank()) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(configured.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(variable + " is not base64 (32 bytes expected)");
    }
  }

  private static byte[] loadKey(String configured, Path dataDir) {
    byte[] given = decodeKey(configured, "FERRY_SECRET_KEY");
    if (given != null) {
      return given;
    }
    Path file = dataDir.resolve("secret.key");
    try {
      Files.createDirectories(dataDir);
      if (!Files.exists(file)) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try {
          createOwnerOnly(file);
          Files.writeString(
              file, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.US_ASCII);
          return fresh;
        } catch (FileAlreadyExistsException raced) {
          // another process created it first: read theirs
        }
      }
      return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secret key file " + file, e);
    }
  }

  private static void createOwnerOnly(Path file) throws IOException {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
      file.toFile().setReadable(false, false);
      file.toFile().setReadable(true, true);
      file.toFile().setWritable(false, false);
      file.toFile().setWritable(true, true);
    }
  }

  public String encrypt(String plain) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  public String decrypt(String stored) {
    if (!isEncrypted(stored)) {
      throw new IllegalArgumentException("not an encrypted value");
    }
    byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
    try {
      return open(key, in);
    } catch (GeneralSecurityException e) {
      if (previousKey != null) {
        try {
          return open(previousKey, in);
        } catch (GeneralSecurityException alsoNot) {
          // neither key: reported below
        }
      }
      // Wrong key (a changed FERRY_SECRET_KEY or key file, a backup restored without its key) or
      // tampered data; never the value. The user can mend it, so it is a conflict, not a crash.
      throw DomainException.conflict(
          "a stored secret cannot be decrypted: the secret key changed or the data was altered;"
              + " restore the secret key that encrypted it (secret.key or FERRY_SECRET_KEY),"
              + " or enter the secret again");
    }
  }

  /**
   * The value sealed again with the current key when the previous key sealed it, else empty (it is
   * sealed with the current key already, or there is no previous key).
   *
   * @throws DomainException.Conflict when neither key opens it
   */
  public java.util.Optional<String> reseal(String stored) {
    if (previousKey == null) {
      return java.util.Optional.empty();
    }
    byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
    try {
      open(key, in);
      return java.util.Optional.empty();
    } catch (GeneralSecurityException notCurrent) {
      return java.util.Optional.of(encrypt(decrypt(stored)));
    }
  }

  /** Whether a previous key is configured, i.e. a rotation is under way. */
  public boolean rotating() {
    return previousKey != null;
  }

  private static String open(SecretKey key, byte[] in) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
    return new String(
        cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
  }

  public static boolean isEncrypted(Object value) {
    return value instanceof String s && s.startsWith(PREFIX);
  }
}
