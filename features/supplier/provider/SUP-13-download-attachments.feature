@supplier @provider @r4 @A042
Feature: Supplier system: a PAS downloads a referral's attachments
  The PAS reads the referral (A005) and fetches each attachment e-RS reports AVAILABLE (A042, following the
  redirect to the document store), filing exactly the bytes e-RS serves. A file still being scanned for
  malware (PENDING), quarantined (THREATS_FOUND) or not what it claims to be (VALIDATION_FAILED) is not asked
  for and not filed: the user is told which and why, and a PENDING file is fetched once its scan has
  finished - on e-RS's clock, which the scenario moves on instead of waiting.

  Background:
    Given a SERVICE_PROVIDER_CLINICIAN is logged in to the supplier's system

  @req=SUP-PROV-ATTACH-01 @req=SUP-REQ-01 @req=SUP-ORDER-01
  Scenario: the referral letter is downloaded and filed byte for byte
    When the user downloads the attachments of the "bookedDbs" referral
    Then the system sent A005 then A042
    And every request the system sent conforms to its profiles and the e-RS contract
    And the system sent nothing but the operations of the actions asked for
    And the system filed exactly the attachments e-RS released for the "bookedDbs" referral, byte for byte

  @req=SUP-PROV-ATTACH-01 @req=SUP-PROV-ATTACH-02
  Scenario Outline: an attachment e-RS has not released (<availability>) is not asked for, not filed, and shown
    Given the referrer has also attached the "<file>" file to the "bookedDbs" referral
    When the user downloads the attachments of the "bookedDbs" referral
    Then the system asked e-RS only for attachments e-RS reported AVAILABLE
    And the system filed exactly the attachments e-RS released for the "bookedDbs" referral, byte for byte

    Examples:
      | file             | availability      |
      | pending          | PENDING           |
      | threatsFound     | THREATS_FOUND     |
      | validationFailed | VALIDATION_FAILED |

  @req=SUP-PROV-ATTACH-02 @req=SUP-PROV-ATTACH-01
  Scenario: a file still being scanned is fetched once its scan has finished, not polled meanwhile
    Given the referrer has just attached the "pending" file to the "bookedDbs" referral, its malware scan finishing in 5 minutes
    When the user downloads the attachments of the "bookedDbs" referral
    Then the system asked e-RS only for attachments e-RS reported AVAILABLE
    And the system filed exactly the attachments e-RS released for the "bookedDbs" referral, byte for byte
    Given e-RS's clock has moved on by 5 minutes
    When the user downloads the attachments of the "bookedDbs" referral
    Then the system asked e-RS only for attachments e-RS reported AVAILABLE
    And the system filed exactly the attachments e-RS released for the "bookedDbs" referral, byte for byte

  @req=SUP-BACKOFF-01 @fault-injection
  Scenario: the document service is briefly unavailable (503): the PAS waits for Retry-After and files the letter
    Given e-RS will answer the system's next A042 with HTTP 503 and Retry-After 1
    When the user downloads the attachments of the "bookedDbs" referral
    Then the system waited for Retry-After before trying again, at most 3 attempts in all
    And the system filed exactly the attachments e-RS released for the "bookedDbs" referral, byte for byte
