@A020 @stu3 @user-restricted
Feature: A020 Upload file to document store
  A referrer or provider uploads a file's raw bytes (POST /STU3/Binary) with its MIME type in
  Content-Type, its name in NHSD-eRS-File-Name and, when it will be attached to an existing referral,
  that UBRN in NHSD-eRS-Referral-ID. The answer is 201 with Location Binary/{uuid}; the file is only
  stored until A012 (or another linking operation) attaches it (catalogue section 2, A020; attachments
  8.4). Requirements: A020-OP and each documented A020 error response.

  Background:
    Given the caller is a REFERRING_CLINICIAN
    And the referral under test is the "unbooked" referral

  Rule: an allowed file is stored and its location returned

    @stateful @req=A020-OP
    Scenario Outline: <role> uploads a <type> file
      Given the caller is a <role>
      When the caller uploads "<name>" as "<type>" for the referral
      Then the file is stored at the Binary location the response names
      And the response echoes the request's X-Correlation-ID

      Examples:
        | role                             | name           | type            |
        | REFERRING_CLINICIAN              | letter.txt     | text/plain      |
        | REFERRING_CLINICIAN_ADMIN        | letter.pdf     | application/pdf |
        | SERVICE_PROVIDER_CLINICIAN       | scan.jpeg      | image/jpeg      |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | results, 2.rtf | text/rtf        |

  Rule: the file, its name and its type are checked

    @negative
    Scenario Outline: a file whose <why>
      When the caller uploads "<name>" as "<type>" for the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=CONFLICTING_VALUES @req=A020-ERR-CONFLICTING_VALUES
      Examples: extension and type disagree
        | name       | type       | code               | why                                   |
        | letter.pdf | text/plain | CONFLICTING_VALUES | extension does not match its MIME type |
        | letter     | text/plain | CONFLICTING_VALUES | name has no extension                  |

      @error=INAPPROPRIATE_VALUE @req=A020-ERR-INAPPROPRIATE_VALUE
      Examples: type not stored by e-RS
        | name       | type            | code                | why                           |
        | letter.zip | application/zip | INAPPROPRIATE_VALUE | MIME type e-RS does not store |

    @negative @error=FILE_SIZE_ERROR @req=A020-ERR-FILE_SIZE_ERROR
    Scenario Outline: a file that is <why>
      When the caller uploads "<name>" of <bytes> bytes as "<type>" for the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code FILE_SIZE_ERROR

      Examples: outside 1 byte to 5 MB
        | name      | type            | bytes   | why                       |
        | empty.txt | text/plain      | 0       | empty                     |
        | large.pdf | application/pdf | 5242881 | one byte larger than 5 MB |

    @negative @error=MISSING_VALUE @req=A020-ERR-MISSING_VALUE
    Scenario: a file without a name
      When the caller uploads a file without a file name as "text/plain" for the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code MISSING_VALUE

    @negative @error=MISSING_VALUE @req=A020-ERR-MISSING_VALUE
    Scenario: a file without a MIME type
      When the caller uploads "letter.txt" without a Content-Type for the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code MISSING_VALUE

    @negative @error=INVALID_VALUE @req=A020-ERR-INVALID_VALUE
    Scenario: a file name longer than 255 characters
      When the caller uploads a file named with 256 characters as "text/plain"
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_VALUE

  Rule: only referrer and provider clinicians may upload

    @negative @error=FORBIDDEN @req=A020-ERR-403-FORBIDDEN
    Scenario: a referring admin may not upload
      Given the caller is a REFERRING_ADMIN
      When the caller uploads "letter.txt" as "text/plain" for the referral
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code FORBIDDEN
