package io.alicloudauth;

import java.util.Arrays;

import io.alicloudauth.cli.LoginCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** {@code login ...} runs the client and exits without starting the server; anything else starts the server. */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("login")) {
            int code = LoginCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out,
                    System.err);
            System.out.flush();
            System.exit(code);
        }
        Quarkus.run(args);
    }
}
