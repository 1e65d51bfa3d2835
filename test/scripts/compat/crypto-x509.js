// k6/crypto/x509 as k6's documentation uses it: a PEM certificate read with open() in the init
// context, parsed in the iteration (k6 internal/js/modules/k6/crypto/x509/x509.go).
import { check } from 'k6';
import x509 from 'k6/crypto/x509';
import { getAltNames, getIssuer, getSubject } from 'k6/crypto/x509';

export const options = { iterations: 1 };

const pem = open('../fixtures/x509/rsa.pem');
const ecPem = open('../fixtures/x509/ec.pem');

export default function () {
  const cert = x509.parse(pem);
  const ec = x509.parse(ecPem);
  let badError = '';
  try {
    x509.parse('not a certificate');
  } catch (e) {
    badError = `${e.name}: ${e.message}`;
  }
  check(cert, {
    'subject common name': (c) => c.subject.commonName === 'stampede.test',
    'subject OUs': (c) => c.subject.organizationalUnitName.join('|') === 'Load Team|Ops Team',
    'subject RDNs with OIDs': (c) => c.subject.names.map((n) => `${n.type}=${n.value}`).includes('2.5.4.17=12345'),
    'issuer organization': (c) => c.issuer.organizationName === 'Stampede Tests',
    'validity in RFC 3339': (c) => c.notBefore === '2026-11-26T17:12:32Z' && c.notAfter === '2036-11-23T17:12:32Z',
    'alt names in Go order': (c) => c.altNames.join(',') === 'stampede.test,api.stampede.test,ops@stampede.test,192.0.2.7,2001:db8::1,http://stampede.test/about',
    'signature algorithm': (c) => c.signatureAlgorithm === 'SHA256-RSA',
    'fingerprint is 20 bytes': (c) => Array.isArray(c.fingerPrint) && c.fingerPrint.length === 20 && c.fingerPrint[0] === 0xe3,
    'RSA public key': (c) => c.publicKey.algorithm === 'RSA' && c.publicKey.key.e === 65537 && typeof c.publicKey.key.n === 'bigint',
    'ECDSA public key': () => ec.publicKey.algorithm === 'ECDSA' && typeof ec.publicKey.key.x === 'bigint' && ec.signatureAlgorithm === 'ECDSA-SHA384',
    'getAltNames': () => getAltNames(pem).length === 6,
    'getIssuer': () => getIssuer(pem).country === 'ZZ',
    'getSubject': () => getSubject(pem).streetAddress === '1 Load Street',
    'bad input is a GoError': () => badError === 'GoError: failed to decode certificate PEM file',
  });
}
