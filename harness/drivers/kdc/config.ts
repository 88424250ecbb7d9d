// The configuration files of a throwaway MIT KDC: everything lives in one temp directory, the
// KDC listens on 127.0.0.1 only, and only the AES enctypes of RFC 3962 are offered.

export const ENCTYPES = ['aes256-cts-hmac-sha1-96', 'aes128-cts-hmac-sha1-96'] as const;

export interface KdcConfigInput {
  dir: string;
  realm: string;
  port: number;
}

/** kdc.conf (KRB5_KDC_PROFILE): database, stash, ACL and log all inside `dir`. */
export function kdcConf({ dir, realm, port }: KdcConfigInput): string {
  const keysalts = ENCTYPES.map((e) => `${e}:normal`).join(' ');
  return `[kdcdefaults]
    kdc_listen = 127.0.0.1:${port}
    kdc_tcp_listen = 127.0.0.1:${port}

[realms]
    ${realm} = {
        database_name = ${dir}/principal
        key_stash_file = ${dir}/stash
        acl_file = ${dir}/kadm5.acl
        admin_keytab = FILE:${dir}/kadm5.keytab
        master_key_type = aes256-cts-hmac-sha1-96
        supported_enctypes = ${keysalts}
        default_principal_flags = +preauth
        max_life = 10h 0m 0s
        max_renewable_life = 1d 0h 0m 0s
    }

[logging]
    kdc = FILE:${dir}/kdc.log
    admin_server = FILE:${dir}/kadmin.log
    default = FILE:${dir}/krb5lib.log
`;
}

/** krb5.conf (KRB5_CONFIG) for clients of this KDC: TCP only, no DNS, no reverse lookups. */
export function krb5Conf({ dir, realm, port }: KdcConfigInput): string {
  const etypes = ENCTYPES.join(' ');
  return `[libdefaults]
    default_realm = ${realm}
    dns_lookup_kdc = false
    dns_lookup_realm = false
    dns_canonicalize_hostname = false
    rdns = false
    udp_preference_limit = 1
    default_tkt_enctypes = ${etypes}
    default_tgs_enctypes = ${etypes}
    permitted_enctypes = ${etypes}
    default_ccache_name = FILE:${dir}/ccache
    default_keytab_name = FILE:${dir}/service.keytab
    ignore_acceptor_hostname = true

[realms]
    ${realm} = {
        kdc = 127.0.0.1:${port}
    }

[domain_realm]
    localhost = ${realm}
    .localhost = ${realm}
`;
}
