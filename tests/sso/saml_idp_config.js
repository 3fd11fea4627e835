// The attributes the test SAML identity provider (saml-idp) releases: eduPerson and
// X.500 names, as InCommon campuses send them. Each test posts the person it signs in.
const attribute = (id, displayName, multiValue = false) =>
  ({ id, displayName, description: displayName, optional: true, multiValue });

module.exports = {
  user: {
    userName: 'ada@maine.edu',
    nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': 'ada@maine.edu',
    'urn:oid:0.9.2342.19200300.100.1.3': 'ada@maine.edu',
    'urn:oid:2.5.4.42': 'Ada',
    'urn:oid:2.5.4.4': 'Byron',
    'urn:oid:2.5.4.11': 'Nursing',
    'urn:oid:1.3.6.1.4.1.5923.1.5.1.1': 'faculty',
  },
  metadata: [
    attribute('urn:oid:1.3.6.1.4.1.5923.1.1.1.6', 'eduPersonPrincipalName'),
    attribute('urn:oid:0.9.2342.19200300.100.1.3', 'mail'),
    attribute('urn:oid:2.5.4.42', 'givenName'),
    attribute('urn:oid:2.5.4.4', 'sn'),
    attribute('urn:oid:2.5.4.11', 'ou'),
    attribute('urn:oid:1.3.6.1.4.1.5923.1.5.1.1', 'isMemberOf', true),
  ],
};
