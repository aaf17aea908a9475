package io.alicloudauth.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * CIDR blocks and single addresses for {@code token_bound_cidrs}. Only IP literals are accepted, so parsing never
 * looks a name up in DNS.
 */
public final class Cidrs {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private Cidrs() {
    }

    /** Normalises each entry to {@code address/prefix}; a 400 naming {@code field} for the first bad one. */
    public static List<String> normalise(String field, List<String> entries) {
        List<String> out = new ArrayList<>();
        for (String entry : entries) {
            String normal = normalise(entry);
            if (normal == null) {
                throw Body.invalid(field, "\"" + Text.shorten(entry) + "\" is not a CIDR block or an IP address");
            }
            if (!out.contains(normal)) {
                out.add(normal);
            }
        }
        return out;
    }

    /** {@code true} when {@code address} lies in one of {@code cidrs}; an unparsable address is outside all. */
    public static boolean contains(List<String> cidrs, String address) {
        byte[] ip = literal(address);
        if (ip == null) {
            return false;
        }
        for (String cidr : cidrs) {
            int slash = cidr.indexOf('/');
            byte[] net = literal(cidr.substring(0, slash));
            int prefix = Integer.parseInt(cidr.substring(slash + 1));
            if (net != null && net.length == ip.length && prefixEquals(net, ip, prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the block {@code inner} (an address or CIDR) lies wholly inside one of {@code outers}. */
    public static boolean within(String inner, List<String> outers) {
        String normal = normalise(inner);
        if (normal == null) {
            return false;
        }
        int slash = normal.indexOf('/');
        String network = normal.substring(0, slash);
        int prefix = Integer.parseInt(normal.substring(slash + 1));
        for (String outer : outers) {
            String o = normalise(outer);
            if (o != null && prefix >= Integer.parseInt(o.substring(o.indexOf('/') + 1))
                    && contains(List.of(o), network)) {
                return true;
            }
        }
        return false;
    }

    static String normalise(String entry) {
        String text = entry.trim();
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        byte[] ip = literal(host);
        if (ip == null) {
            return null;
        }
        int max = ip.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String bits = text.substring(slash + 1);
            if (!bits.matches("\\d{1,3}")) {
                return null;
            }
            prefix = Integer.parseInt(bits);
            if (prefix > max) {
                return null;
            }
        }
        try {
            return InetAddress.getByAddress(ip).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The address bytes of an IP literal (IPv4-mapped IPv6 folded to IPv4), or null. Never consults DNS. */
    static byte[] literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        var m = IPV4.matcher(text);
        if (m.matches()) {
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(m.group(i + 1));
                if (octet > 255) {
                    return null;
                }
                out[i] = (byte) octet;
            }
            return out;
        }
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!bare.contains(":") || !IPV6.matcher(bare).matches()) {
            return null;
        }
        try {
            InetAddress parsed = InetAddress.getByName(bare);
            byte[] bytes = parsed.getAddress();
            if (parsed instanceof Inet6Address && isMappedV4(bytes)) {
                return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
            }
            return bytes;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b.length == 16 && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static boolean prefixEquals(byte[] a, byte[] b, int prefix) {
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (b[full] & mask);
    }
}
