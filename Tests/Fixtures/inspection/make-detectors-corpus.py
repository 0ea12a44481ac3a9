import json, os, random, base64
random.seed(7)
A='ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
def rnd(n, al=A): return ''.join(random.choice(al) for _ in range(n))
ghp='ghp_'+rnd(36); gho='gho_'+rnd(36); ghs='ghs_'+rnd(36); ghu='ghu_'+rnd(36); ghr='ghr_'+rnd(36)
pat='github_pat_'+rnd(22)+'_'+rnd(59)
goog='AIza'+rnd(35, A+'_-')
slack='xoxb-123456789012-1234567890123-'+rnd(24)
slackp='xoxp-2048276491-2041838923-2049183820-'+rnd(32,'0123456789abcdef')
jwt='eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'
hdr=base64.urlsafe_b64encode(b'{"alg":"none"}').decode().rstrip('=')
pl=base64.urlsafe_b64encode(b'{"sub":"agent-7","scope":"read"}').decode().rstrip('=')
jwt_none=hdr+'.'+pl+'.'
noalg=base64.urlsafe_b64encode(b'{"typ":"JWT","kid":"k1"}').decode().rstrip('=')+'.'+pl+'.'+rnd(43)
body='\n'.join(rnd(64, A+'+/') for _ in range(6))+'\n'+rnd(20)+'=='
pem='-----BEGIN RSA PRIVATE KEY-----\n'+body+'\n-----END RSA PRIVATE KEY-----'
pem8='-----BEGIN PRIVATE KEY-----\n'+body+'\n-----END PRIVATE KEY-----'
ossh='-----BEGIN OPENSSH PRIVATE KEY-----\n'+body+'\n-----END OPENSSH PRIVATE KEY-----'
awsid='AKIAIOSFODNN7EXAMPLE'; awssk='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
asia='ASIA'+rnd(16,'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')
gen_secret='Xk9mP2vL7qR4tZ8w'
cases=[]
def T(text, *exp, json_mode=False, note=None):
    d={"text":text,"expect":[list(e) for e in exp]}
    if json_mode: d["json"]=True
    cases.append(d)
# cards
for c in ["4111111111111111","4012888888881881","4222222222222","5555555555554444","5105105105105100","2223003122003222",
          "378282246310005","371449635398431","6011111111111117","6011000990139424","3530111333300000","3566002020360505",
          "30569309025904","38520000023237","36227206271667","6200000000000005"]:
    T(f"card on file: {c}.", ("credit_card", c))
T("pay with 4111 1111 1111 1111 today", ("credit_card","4111 1111 1111 1111"))
T("pay with 5555-5555-5555-4444 today", ("credit_card","5555-5555-5555-4444"))
T("amex 3782 822463 10005 exp 12/29", ("credit_card","3782 822463 10005"))
T("amex 3714-496353-98431", ("credit_card","3714-496353-98431"))
T('{"card":"4111111111111111","n":1}', ("credit_card","4111111111111111"))
T('{"card":"4111\\u00201111\\u00201111\\u00201111"}', ("credit_card","4111\\u00201111\\u00201111\\u00201111"), json_mode=True)
T('{"cards":["5105105105105100","378282246310005"]}', ("credit_card","5105105105105100"),("credit_card","378282246310005"), json_mode=True)
T('{"amount":4111111111111111,"ts":1700000000000,"n":-5.5e3}', ("credit_card","4111111111111111"), json_mode=True)
T('{"order":1234567812345670,"ts":1700000000000}', json_mode=True)
# card negatives
for t in ["Order ID 4111111111111112","order #1234567812345670 shipped","ref ORD-4111111111111111",
          "mixed 4111 1111-1111 1111 separators","tracking 1Z999AA10123456784","epoch 1700000000000 ms",
          "ts 20240115103045123","phone-ish 4111 1111 1111 1112","id=x4111111111111111","value 4111111111111111.5",
          "digits 41111111111111111111111 long","isbn 978-3-16-148410-0"]:
    T(t)
# SSN
T("SSN 536-22-8901 on file", ("us_ssn","536-22-8901"))
T("ssn: 001 01 0001", ("us_ssn","001 01 0001"))
T('{"ssn":"772-11-4455"}', ("us_ssn","772-11-4455"), json_mode=True)
T('{"ssn":"772\\u002d11\\u002d4455"}', ("us_ssn","772\\u002d11\\u002d4455"), json_mode=True)
for t in ["000-12-3456","666-12-3456","900-12-3456","999-45-6789","123-00-4567","123-45-0000","078-05-1120",
          "219-09-9999","123-45-6789","111-11-1111","536-22-8901-5","536-22-89012","536 22-8901","date 2024-01-15",
          "a536-22-8901"]:
    T("number " + t)
# email
T("mail alice@example.com now", ("email","alice@example.com"))
T("<bob.smith+tag@mail.example.co.uk>", ("email","bob.smith+tag@mail.example.co.uk"))
T("mailto:ops-team@corp.internal.io?subject=hi", ("email","ops-team@corp.internal.io"))
T("josé.garcía@exämple.de wrote", ("email","josé.garcía@exämple.de"))
T("联系 用户@例子.广告 谢谢", ("email","用户@例子.广告"))
T("punycode info@xn--mller-kva.de", ("email","info@xn--mller-kva.de"))
T("end of sentence carol@example.org.", ("email","carol@example.org"))
T("“dave@example.com”", ("email","dave@example.com"))
T('{"email":"alice\\u0040example.com"}', ("email","alice\\u0040example.com"), json_mode=True)
T('{"user":{"contact":"mailto:eve@example.net"}}', ("email","eve@example.net"), json_mode=True)
for t in ["info@example.","user@localhost","pkg@1.2.3","npm i lodash@4.17.21","@mention here","foo@bar",
          "a@b.c","double..dot@example.com is fine?","x@-bad.com","x@bad-.com","me@@example.com","git@ bad"]:
    T(t) if t!="double..dot@example.com is fine?" else None
T("twice: a..b@example.com")
# phone
T("call +14155552671 now", ("phone","+14155552671"))
T("call +44 20 7946 0958 now", ("phone","+44 20 7946 0958"))
T("call +1 (415) 555-2671.", ("phone","+1 (415) 555-2671"))
T("office (415) 555-2671 ext", ("phone","(415) 555-2671"))
T("office 415-555-2671 ext", ("phone","415-555-2671"))
T("office 415.555.2671", ("phone","415.555.2671"))
T("toll free 1-800-555-0199", ("phone","1-800-555-0199"))
T("london 020 7946 0958", ("phone","020 7946 0958"))
T("mobile 07700 900123", ("phone","07700 900123"))
T("de +49-30-901820", ("phone","+49-30-901820"))
T("fr 01 23 45 67 89 ou 06.12.34.56.78", ("phone","01 23 45 67 89"), ("phone","06.12.34.56.78"))
T('{"phone":"+33\\u00201\\u002009\\u002075\\u002083\\u002051"}', ("phone","+33\\u00201\\u002009\\u002075\\u002083\\u002051"), json_mode=True)
for t in ["call 4155552671","code 12345678","3+4=7","in 2024-01-15","price 1.234.567","+1","+12 34",
          "v1.415.555.2671","x415-555-2671","415-555-26710","sum 115-555-2671","+123456789012345678",
          "from 10:30 to 11:45","date 01.02.2024 12.30","v 01.23.45.67.89.10","uuid 550e8400-e29b-41d4-a716-446655440000"]:
    T(t)
# IBAN
for i in ["DE89370400440532013000","GB82WEST12345698765432","FR1420041010050500013M02606","NL91ABNA0417164300",
          "NO9386011117947","CH9300762011623852957","BE68539007547034"]:
    T(f"iban {i} ok", ("iban",i))
T("IBAN: DE89 3704 0044 0532 0130 00.", ("iban","DE89 3704 0044 0532 0130 00"))
T("IBAN: GB82 WEST 1234 5698 7654 32", ("iban","GB82 WEST 1234 5698 7654 32"))
T('{"iban":"NL91ABNA0417164300"}', ("iban","NL91ABNA0417164300"), json_mode=True)
for t in ["DE89370400440532013001","GB82WEST12345698765433","XX89370400440532013000","DE8937040044053201300",
          "DE893704004405320130001","ABCDE89370400440532013000","DE00370400440532013000","SKU DE12 ABCD"]:
    T("iban " + t)
# IPv4
for ip in ["192.168.1.10","10.0.0.1","8.8.8.8","255.255.255.255","0.0.0.0"]:
    T(f"host {ip} up", ("ipv4", ip))
T("connect to 172.16.254.1:8080/x", ("ipv4","172.16.254.1"))
T("allow 10.0.0.1-10.0.0.255 only", ("ipv4","10.0.0.1"), ("ipv4","10.0.0.255"))
T('{"ip":"203.0.113.7"}', ("ipv4","203.0.113.7"), json_mode=True)
for t in ["999.1.1.1","1.2.3","01.02.03.04","1.2.3.4.5","v1.2.3.4","version 10.0.19041.1","256.256.256.256",
          "1.2.3.4-beta","release 2.10.4","lib-1.2.3.4"]:
    T("see " + t)
# IPv6
for ip in ["2001:db8:85a3::8a2e:370:7334","2001:0db8:0000:0000:0000:ff00:0042:8329","fe80::1","::1","::ffff:192.0.2.128","2001:db8::"]:
    T(f"addr {ip} up", ("ipv6", ip))
T("url http://[2001:db8::42]:8080/", ("ipv6","2001:db8::42"))
for t in ["std::vector<int>","12:30:45","00:1a:2b:3c:4d:5e","::","a:b:c","1::2::3","2001:db8:85a3:0:0:8a2e:370:7334:1",
          "12345::1","Foo::Bar::baz()","at 10:30:00.123"]:
    T("x " + t)
# AWS
T(f"aws_access_key_id = {awsid}", ("aws_access_key_id", awsid))
T(f"key {asia} used", ("aws_access_key_id", asia))
T(f"aws_secret_access_key = {awssk}", ("aws_secret_access_key", awssk))
T(f"AWS creds: {awsid} / {awssk}", ("aws_access_key_id", awsid), ("aws_secret_access_key", awssk))
T('{"aws_secret_access_key":"'+awssk+'"}', ("aws_secret_access_key", awssk), json_mode=True)
T('{"aws_secret_access_key":"'+awssk.replace('/','\\/')+'"}', ("aws_secret_access_key", awssk.replace('/','\\/')), json_mode=True)
T('{"AccessKeyId":"'+asia+'","SecretAccessKey":"'+awssk+'"}', ("aws_access_key_id", asia), ("aws_secret_access_key", awssk), json_mode=True)
for t in ["AKIAXXXXXXXXXXXXXXXX","AKIAIOSFODNN7EXAMPLE1","xAKIAIOSFODNN7EXAMPLE","AKIA1234567890123456",
          "aws commit da39a3ee5e6b4b0d3255bfef95601890afd80709",
          "sha256 wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY with no provider context",
          "aws blob "+rnd(80, A+'+/')]:
    T(t)
# GitHub / Slack / Google
for tok in [ghp,gho,ghs,ghu,ghr,pat]:
    T(f"token {tok} leaked", ("github_token", tok))
T('{"auth":"Bearer '+ghp+'"}', ("github_token", ghp), json_mode=True)
T(f"SLACK_TOKEN={slack}", ("slack_token", slack))
T(f"slack {slackp}", ("slack_token", slackp))
T(f"key={goog}&q=1", ("google_api_key", goog))
for t in ["ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","ghp_short","xghp_"+rnd(36),"ghx_"+rnd(36),
          "xoxb-not-a-token","xoxb-XXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX","AIzaTooShort","AIza"+rnd(36)]:
    T("cfg " + t)
# JWT
T(f"Authorization: Bearer {jwt}", ("jwt", jwt))
T(f"unsigned {jwt_none} token", ("jwt", jwt_none))
T('{"id_token":"'+jwt+'"}', ("jwt", jwt), json_mode=True)
for t in ["eyJhbGciOi","eyJhbGciOiJIUzI1NiJ9","not.a.jwt", noalg, "eyJ!!!.eyJ.x"]:
    T("tok " + t)
# PEM
T("key:\n"+pem+"\n", ("private_key", pem))
T("key:\n"+pem8, ("private_key", pem8))
T(ossh, ("private_key", ossh))
esc=json.dumps(pem)[1:-1]
T('{"private_key":"'+esc+'"}', ("private_key", esc))
T('{"private_key":"'+esc+'"}', ("private_key", esc), json_mode=True)
trunc='-----BEGIN PRIVATE KEY-----\n'+body
T("partial paste "+trunc, ("private_key", trunc))
for t in ["-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
          "docs: put your -----BEGIN RSA PRIVATE KEY----- block here",
          "-----BEGIN CERTIFICATE-----\n"+rnd(64)+"\n-----END CERTIFICATE-----"]:
    T(t)
# generic secret (opt-in; corpus runs with all detectors)
T(f"password={gen_secret}&user=bob", ("generic_secret", gen_secret))
T(f"client_secret: 'q8Z!r2Lw9Pk3#Vn7'", ("generic_secret", "q8Z!r2Lw9Pk3#Vn7"))
T(f'API_KEY="Zt7Qm2Xv9Lp4Rk8W"', ("generic_secret","Zt7Qm2Xv9Lp4Rk8W"))
T('{"db":{"password":"Vq3#Lm9$Tz2!Kw7p"}}', ("generic_secret","Vq3#Lm9$Tz2!Kw7p"), json_mode=True)
for t in ["password=changeme","password: ${DB_PASSWORD}","secret=aaaaaaaaaaaaaaaa","password=hunter2","api_key=<your key here>",
          "the password is required","passwordless=true"]:
    T(t)
T('{"password":"********"}', json_mode=True)
T('{"name":"password","value":"short"}', json_mode=True)
# more positives for the thinner detectors
goog2='AIza'+rnd(35, A+'_-'); goog3='AIza'+rnd(35, A+'_-')
T('{"maps_key":"'+goog2+'"}', ("google_api_key", goog2), json_mode=True)
T("https://maps.googleapis.com/maps/api/geocode/json?address=x&key="+goog3, ("google_api_key", goog3))
for pre in ["xoxa-2","xoxr-","xoxs-"]:
    tok=pre+'1234567890-'+rnd(12)+'-'+rnd(20)
    T("tok="+tok, ("slack_token", tok))
hdr2=base64.urlsafe_b64encode(b'{"alg":"RS256","kid":"2024-01","typ":"JWT"}').decode().rstrip('=')
pl2=base64.urlsafe_b64encode(b'{"iss":"https://id.example.com","sub":"agent-42","aud":"gatehouse","exp":1735689600}').decode().rstrip('=')
jwt2=hdr2+'.'+pl2+'.'+rnd(342, A+'-_')
T("GET /api?access_token="+jwt2+"&x=1", ("jwt", jwt2))
T('{"tokens":{"id":"'+jwt2+'"}}', ("jwt", jwt2), json_mode=True)
eck='-----BEGIN EC PRIVATE KEY-----\n'+rnd(64, A+'+/')+'\n'+rnd(56, A+'+/')+'==\n-----END EC PRIVATE KEY-----'
T('{"k":"'+eck+'"}', ("private_key", eck))
enc='-----BEGIN ENCRYPTED PRIVATE KEY-----\n'+body+'\n-----END ENCRYPTED PRIVATE KEY-----'
T(enc, ("private_key", enc))
pgp='-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n'+body+'\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----'
T(pgp, ("private_key", pgp))
T('{"user@example.com":{"role":"admin"}}', ("email","user@example.com"), json_mode=True)
T("IPv6 link fe80::1ff:fe23:4567:890a%eth0 up", ("ipv6","fe80::1ff:fe23:4567:890a"))
# more negatives
for t in ["sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "uuid 123e4567-e89b-12d3-a456-426614174000 and 00000000-0000-0000-0000-000000000000",
          "blob "+rnd(200, A+'+/')+"==",
          "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
          "tz 2024-01-15T10:30:45+05:30 and Mon Jan 15 10:30:45 2024 +0530",
          "semver 1.2.3-rc.1+build.5 and 10.0.0-beta",
          "ratio 4111111111111111/3 and 4111111111111111-2",
          "price EUR 1.234.567,89 or 1,234,567.89",
          "css color #41ff11cc and rgba(255, 255, 255, 0.5)",
          "iso8601 P1Y2M10DT2H30M and ts 1705314645",
          "k8s image nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31",
          "mac 00:1A:2B:3C:4D:5E and time 23:59:59.999"]:
    T(t)
T('{"id":"550e8400-e29b-41d4-a716-446655440000","v":"1.2.3.4.5","ts":"2024-01-15T10:30:45.123Z","n":1705314645123}', json_mode=True)
# mixed / clean text
T("Nothing sensitive here: build 1.2.3 on 2024-01-15T10:30:45Z, took 12.5s, uuid 123e4567-e89b-12d3-a456-426614174000.")
T('{"id":"ord_8f3k2j","total":129.99,"items":[{"sku":"A-100","qty":2}],"created":"2024-01-15T10:30:45Z"}', json_mode=True)
T('{"user":"alice","email":"alice@example.com","card":"4111111111111111","ssn":"536-22-8901","ip":"10.1.2.3"}',
  ("email","alice@example.com"),("credit_card","4111111111111111"),("us_ssn","536-22-8901"),("ipv4","10.1.2.3"), json_mode=True)
# escaped forms inside JSON strings for the detectors not covered above (expected texts are raw)
T('{"iban":"DE89\\u00203704\\u00200044\\u00200532\\u00200130\\u002000"}', ("iban","DE89\\u00203704\\u00200044\\u00200532\\u00200130\\u002000"), json_mode=True)
T('{"ip":"10\\u002e0\\u002e0\\u002e1"}', ("ipv4","10\\u002e0\\u002e0\\u002e1"), json_mode=True)
T('{"ip6":"2001\\u003adb8\\u003a\\u003a1"}', ("ipv6","2001\\u003adb8\\u003a\\u003a1"), json_mode=True)
T('{"key_id":"AKIA\\u0049OSFODNN7EXAMPLE"}', ("aws_access_key_id","AKIA\\u0049OSFODNN7EXAMPLE"), json_mode=True)
T('{"token":"ghp\\u005f'+ghp[4:]+'"}', ("github_token","ghp\\u005f"+ghp[4:]), json_mode=True)
T('{"slack":"'+slack.replace('-','\\u002d')+'"}', ("slack_token",slack.replace('-','\\u002d')), json_mode=True)
T('{"jwt":"'+jwt.replace('.','\\u002e')+'"}', ("jwt",jwt.replace('.','\\u002e')), json_mode=True)
T('{"card":"5555\\u002d5555\\u002d5555\\u002d4444"}', ("credit_card","5555\\u002d5555\\u002d5555\\u002d4444"), json_mode=True)
T('{"log":"line 1\\nSSN 536-22-8901\\nline 3"}', ("us_ssn","536-22-8901"), json_mode=True)
T('{"url":"https:\\/\\/maps.example.com\\/?key='+goog2+'"}', ("google_api_key", goog2), json_mode=True)
# look-alikes of API responses (negatives)
for t in ["order ORD-2024-000123 and invoice INV-2026-00042, sku SKU-ABC-1234",
          "trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7",
          "build 7.9.65+3653571 deployed at 2026-06-10T18:40:09.920Z",
          "Luhn-invalid 5555 5555 5555 4445 and 4012-8888-8888-1882",
          "ssn-shaped but invalid: 000-45-6789, 536-00-8901, 536-22-0000, 666-22-8901, 912-22-8901",
          "IBAN-shaped but invalid: GB82 WEST 1234 5698 7654 33 and NL91ABNA0417164301",
          "contact info@example. or sales@example or @example.com",
          "versions 10.0.0.1-rc2 and 1.2.3.4.5 and v10.0.0.1",
          "amounts 1,299.99 EUR and 1.299,99 EUR, 12345678901234 units"]:
    T(t)
T('{"order_id":4111111111111112,"created":1705314645123,"version":"2.10.4","uuid":"123e4567-e89b-12d3-a456-426614174000"}', json_mode=True)
T('{"note":"order\\u0020#4111111111111112","etag":"W/\\"5f3c-1a2b\\""}', json_mode=True)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'detectors.jsonl'), 'w') as f:
    for c in cases: f.write(json.dumps(c, ensure_ascii=False)+'\n')
print(len(cases), sum(len(c['expect']) for c in cases), sum(1 for c in cases if not c['expect']))
