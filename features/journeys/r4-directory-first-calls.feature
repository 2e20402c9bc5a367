@journey @r4 @user-restricted
Feature: Directory journey: the first calls a real integration makes
  A supplier's system starts by asking e-RS who the signed-in user is (A030) and takes the role and ODS code to
  send from the answer, then finds services (A035), reads one (A033) and checks later that its cached copy is
  current (A037), and maps a referral's UBRN to the R4 ServiceRequest id the R4 operations use (A041)
  (catalogue sections 2, 5 and 7). A042 (an attachment by id) joins this journey once the simulator serves it.

  @A030 @A035 @A033 @A037 @A041 @req=JOURNEY-R4-DIRECTORY
  Scenario: pick a role, find and read a service, check its version, find a referral's ServiceRequest id
    Given the caller is a CIS2 user who holds the REFERRING_CLINICIAN role but has not chosen a role yet
    When the caller retrieves its business functions
    Then the response status is 200
    When the caller acts as the REFERRING_CLINICIAN role e-RS returned for it
    And the caller searches for the R4 healthcare services "<directory.searchIds>"
    Then the response status is 200
    When the caller reads the first healthcare service found
    Then the response status is 200
    And the weak ETag equals the resource's meta.versionId
    When the caller checks the version of the healthcare service it read
    Then the response status is 200
    And the version ETag equals the meta.versionId of the service read
    When the caller searches for the service requests of UBRN "<serviceRequests.referral>"
    Then the response status is 200
    And the Bundle holds a referral ServiceRequest for UBRN "<serviceRequests.referral>"
    And the request carried a bearer token, the caller's business function and ODS code, and no on-behalf-of header

  @A030 @A040 @A041 @req=JOURNEY-R4-DIRECTORY
  Scenario: an SPCA picks its role, then the clinician to act for, then finds a referral at its service
    Given the caller is a CIS2 user who holds the SERVICE_PROVIDER_CLINICIAN_ADMIN role but has not chosen a role yet
    When the caller retrieves its business functions
    And the caller acts as the SERVICE_PROVIDER_CLINICIAN_ADMIN role e-RS returned for it
    And the caller retrieves the practitioners it may act on behalf of
    Then the response status is 200
    When the caller acts on behalf of the first practitioner e-RS returned
    And the caller searches for the service requests of UBRN "<serviceRequests.bookedAtProvider>"
    Then the response status is 200
    And the Bundle holds a referral ServiceRequest for UBRN "<serviceRequests.bookedAtProvider>"
    And the request carried a bearer token, the caller's business function and ODS code, and its on-behalf-of header
