package io.rcsrouter.infra;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which Jolokia users files let the router start: only one with a user and a password. */
class JolokiaAccessCheckTest {

    @TempDir
    Path dir;

    @Test
    void aUserWithAPasswordIsEnough() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "# operators\nuser.hawtio = s3cret,viewer\n");
        assertThatCode(() -> JolokiaAccessCheck.requireUsers(file.toString())).doesNotThrowAnyException();
    }

    @Test
    void noFileNamed() {
        assertThatThrownBy(() -> JolokiaAccessCheck.requireUsers(""))
                .hasMessageContaining("RCS_JOLOKIA_USERS_FILE");
    }

    @Test
    void aFileThatCannotBeRead() {
        assertThatThrownBy(() -> JolokiaAccessCheck.requireUsers(dir.resolve("missing").toString()))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aFileWithoutUsers() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "# nobody yet\nrole.viewer = *\n");
        assertThatThrownBy(() -> JolokiaAccessCheck.requireUsers(file.toString()))
                .hasMessageContaining("lists no user");
    }

    @Test
    void aUserWithAnEmptyPassword() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "user.hawtio = s3cret\nuser.guest = ,viewer\n");
        assertThatThrownBy(() -> JolokiaAccessCheck.requireUsers(file.toString()))
                .hasMessageContaining("empty password");
    }
}
