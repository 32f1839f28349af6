import re

from playwright.sync_api import expect

from childfirst.accounts.models import Role
from tests.browser.authenticator import AuthenticatorApp
from tests.browser.pages import HomePage, SignInPage
from tests.builders import PASSWORD, current_code, make_user

# Base32, in blocks of four characters, the last block possibly shorter.
SECRET_IN_BLOCKS = re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{4})*( [A-Z2-7]{1,3})?$")


def test_a_new_user_sets_up_their_authenticator_app_then_is_asked_only_for_a_code(tab):
    user = make_user(role=Role.DESK_RESEARCHER, with_totp=False)

    set_up = SignInPage.open(tab).sign_in_for_the_first_time(user.email, PASSWORD)
    qr_code = set_up.qr_code()
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("element => element.namespaceURI") == "http://www.w3.org/2000/svg"
    secret = set_up.secret_key()
    assert SECRET_IN_BLOCKS.match(secret), f"The key {secret!r} is not in blocks of four"
    app = AuthenticatorApp.from_secret(secret)
    home = set_up.sign_in(app.code(), role=Role.DESK_RESEARCHER)

    signed_out = home.sign_out()
    code_page = signed_out.sign_in_again().sign_in(user.email, PASSWORD)
    home = code_page.sign_in(app.code(), role=Role.DESK_RESEARCHER)
    expect(home.navigation().get_by_role("button", name="Sign out")).to_be_visible()


def test_a_wrong_password_is_refused_without_saying_which_detail_was_wrong(tab):
    user = make_user()

    sign_in = SignInPage.open(tab).sign_in_with_wrong_details(user.email, "not the password")

    summary = sign_in.error_summary()
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(tab.page).to_have_title(re.compile(r"^Error: "))
    # GOV.UK Frontend moves focus to the summary, so a screen reader announces it first.
    expect(tab.page.locator(":focus")).to_contain_text("There is a problem")
    expect(sign_in.page.get_by_label("Email address")).to_have_value(user.email)


def test_a_wrong_code_is_refused_and_the_user_is_not_signed_in(tab):
    user = make_user()
    right = current_code(user)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    code_page = SignInPage.open(tab).sign_in(user.email, PASSWORD).enter_wrong_code(wrong)

    expect(code_page.error_summary()).to_contain_text("The code is not right")
    expect(code_page.page.get_by_label("Code from your authenticator app")).to_be_visible()
    # The home page still sends them to sign in.
    tab.open(HomePage.path)
    SignInPage(tab)
    expect(tab.page).to_have_url(re.compile(r"/sign-in\?next=/$"))


def test_a_user_without_javascript_signs_in_and_reaches_home(tab_without_javascript):
    tab = tab_without_javascript
    user = make_user(role=Role.FRONTLINE_OFFICER)

    sign_in = SignInPage.open(tab)
    expect(sign_in.page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
    code_page = sign_in.sign_in(user.email, PASSWORD)
    home = code_page.sign_in(current_code(user), role=Role.FRONTLINE_OFFICER)

    expect(home.navigation().get_by_role("link", name="Agencies and schools")).to_be_visible()
