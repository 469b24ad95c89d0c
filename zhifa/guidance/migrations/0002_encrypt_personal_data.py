"""Personal data encrypted at rest with SM4 (issue 16 item 5): the columns become ciphertext,
blind indexes are added, and the existing rows are encrypted in batches (zhifa/common/dataencrypt.py)."""

import zhifa.common.fields
from django.db import migrations

from zhifa.common.dataencrypt import decrypt_existing, encrypt_existing


class Migration(migrations.Migration):

    dependencies = [
        ('guidance', '0001_guidance'),
    ]

    operations = [
        migrations.AlterField(
            model_name='guidingcase',
            name='source_text',
            field=zhifa.common.fields.EncryptedTextField(verbose_name='原文（不公开）'),
        ),
        migrations.AlterField(
            model_name='guidingcase',
            name='spans',
            field=zhifa.common.fields.EncryptedJSONField(blank=True, default=list, verbose_name='建议隐去的内容'),
        ),
        migrations.RunPython(encrypt_existing('guidance', 'guidingcase'), decrypt_existing('guidance', 'guidingcase')),
    ]
